package io.sluice.hls;

import io.sluice.streams.Stream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The playlists a stream's master names, as players ask for them again and again. A player keeps the variant
 * URLs from the master it loaded and rarely loads the master again; after a failover (or a sticky backend
 * given up) those URLs point at the old source. So a variant reference also carries a signed position: which
 * tag named it, its index among those, and the source it came from. Once the stream is on another source, the
 * same position is taken from the current master; when the old URL fails, that is a failure of the source,
 * and the same position comes from wherever the stream's recovery finds a source that answers.
 */
@ApplicationScoped
public class VariantPlaylists {
    @Inject
    PlaylistFetcher fetcher;
    @Inject
    MainPlaylists mainPlaylists;
    @Inject
    SegmentReferences references;

    /** A variant's place, as signed into its reference. */
    public record Place(MainPlaylists.Position position, String source) {
    }

    /** Which source a stream is on: its failover position and sticky lock. */
    public static String sourceKey(Stream stream) {
        String lock = stream.sources().lockedUrl();
        return stream.sources().failoverIndex() + "." + (lock == null ? "0" : Integer.toHexString(lock.hashCode()));
    }

    public String sign(String streamId, String tag, int index, String source) {
        return references.signValue(streamId, tag + "|" + index + "|" + source);
    }

    public Optional<Place> verify(String streamId, String reference) {
        return references.verifyValue(streamId, reference).flatMap(v -> {
            String[] parts = v.split("\\|", 3);
            if (parts.length != 3 || !parts[1].matches("\\d{1,4}")) {
                return Optional.empty();
            }
            return Optional.of(new Place(new MainPlaylists.Position(parts[0], Integer.parseInt(parts[1])), parts[2]));
        });
    }

    /** The variant at {@code place}, by the URL it was handed out with while that is still the stream's source. */
    public CompletableFuture<PlaylistFetcher.Fetched> fetch(Stream stream, URI handedOut, Place place) {
        if (!sourceKey(stream).equals(place.source())) {
            return mainPlaylists.fetchVariant(stream, place.position());
        }
        // The URL failing is the source failing: the stream's recovery runs, and may move it on.
        return fetcher.fetch(stream.spec(), stream.headerOrigins(), handedOut)
                .handle((fetched, error) -> error == null ? CompletableFuture.completedFuture(fetched)
                        : mainPlaylists.fetchVariant(stream, place.position()))
                .thenCompose(f -> f);
    }
}
