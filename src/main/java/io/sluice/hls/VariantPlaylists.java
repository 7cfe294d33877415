package io.sluice.hls;

import io.sluice.streams.Stream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The playlists a stream's master names, as players ask for them again and again. A player keeps the variant
 * URLs from the master it loaded and rarely loads the master again; after a failover (or a sticky backend
 * given up) those URLs point at the old source. So a variant reference also carries its position in the
 * master and the source it came from: once the stream is on another source, or the old URL fails, the same
 * position is taken from the current master, which the main playlist's recovery may first move to a backup.
 */
@ApplicationScoped
public class VariantPlaylists {
    @Inject
    PlaylistFetcher fetcher;
    @Inject
    MainPlaylists mainPlaylists;

    /** Which source a stream is on, as written into variant references: its failover position and sticky lock. */
    public static String sourceKey(Stream stream) {
        String lock = stream.sources().lockedUrl();
        return stream.sources().failoverIndex() + "." + (lock == null ? "0" : Integer.toHexString(lock.hashCode()));
    }

    /** The variant at {@code position} of the stream's master, by the URL it was handed out with when still valid. */
    public CompletableFuture<PlaylistFetcher.Fetched> fetch(Stream stream, URI handedOut, int position, String fromSource) {
        if (!sourceKey(stream).equals(fromSource)) {
            return fromCurrentMaster(stream, position);
        }
        return fetcher.fetch(stream.spec(), handedOut)
                .handle((fetched, error) -> error == null ? CompletableFuture.completedFuture(fetched)
                        : fromCurrentMaster(stream, position).exceptionallyCompose(again -> CompletableFuture.failedFuture(
                                error instanceof CompletionException ? error.getCause() : error)))
                .thenCompose(f -> f);
    }

    private CompletableFuture<PlaylistFetcher.Fetched> fromCurrentMaster(Stream stream, int position) {
        return mainPlaylists.fetch(stream).thenCompose(master -> {
            List<URI> named = Playlists.playlistUris(master.body(), master.finalUri());
            if (named.isEmpty()) {
                return CompletableFuture.completedFuture(master); // the current source is a media playlist itself
            }
            // A backup's master may name fewer variants: the last one is the closest guess.
            return fetcher.fetch(stream.spec(), named.get(Math.min(position, named.size() - 1)));
        });
    }
}
