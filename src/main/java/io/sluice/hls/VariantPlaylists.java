package io.sluice.hls;

import io.sluice.streams.Stream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * The playlists a stream's master names, as players ask for them again and again. A player keeps the variant
 * URLs from the master it loaded and rarely loads the master again; after a failover (or a sticky backend
 * given up) those URLs point at the old source. So a variant reference also carries its position in the
 * master and the source it came from: once the stream is on another source, the same position is taken from the
 * current master; when the old URL fails, that is a failure of the source, and the same position comes from
 * wherever the stream's recovery (retry, sticky revert, failover) finds a source that answers.
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
            return mainPlaylists.fetchVariant(stream, position);
        }
        // The URL failing is the source failing: the master's recovery runs, and may move the stream on.
        return fetcher.fetch(stream.spec(), handedOut)
                .handle((fetched, error) -> error == null ? CompletableFuture.completedFuture(fetched)
                        : mainPlaylists.fetchVariant(stream, position))
                .thenCompose(f -> f);
    }
}
