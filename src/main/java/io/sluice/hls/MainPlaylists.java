package io.sluice.hls;

import io.sluice.events.StreamStopped;
import io.sluice.sources.Recovery;
import io.sluice.sources.RecoveryEpisode;
import io.sluice.streams.Stream;
import io.sluice.upstream.UpstreamFailure;
import io.sluice.upstream.UpstreamFailureException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stream's own playlist (the registered URL) with the stream's resilience: the current source or its
 * sticky backend is fetched, a failure runs one recovery episode for all players at once (retry, revert,
 * failover), and the sequence players see is owned by Sluice.
 */
@ApplicationScoped
public class MainPlaylists {
    @Inject
    PlaylistFetcher fetcher;
    @Inject
    Recovery recovery;

    private final ConcurrentHashMap<String, CompletableFuture<PlaylistFetcher.Fetched>> recovering =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SequenceMapper> sequences = new ConcurrentHashMap<>();

    /** The stream's playlist as players should see its sequence (URIs not yet rewritten). */
    public CompletableFuture<PlaylistFetcher.Fetched> fetch(Stream stream) {
        return coalesced(stream.id(), () -> attempt(stream, null, CompletableFuture::completedFuture));
    }

    /**
     * The playlist at {@code position} of the stream's master, fetched from the current source; a failure of the
     * master or of that playlist is a failure of the source, recovered like the master's own (retry, revert,
     * failover), once for all players of that position.
     */
    public CompletableFuture<PlaylistFetcher.Fetched> fetchVariant(Stream stream, int position) {
        return coalesced(stream.id() + "|" + position, () -> attempt(stream, null, master -> {
            List<URI> named = Playlists.playlistUris(master.body(), master.finalUri());
            if (named.isEmpty()) {
                return CompletableFuture.completedFuture(master); // this source is a media playlist itself
            }
            // A backup's master may name fewer playlists: the last one is the closest guess.
            return fetcher.fetch(stream.spec(), named.get(Math.min(position, named.size() - 1)));
        }));
    }

    /** One fetch (and its recovery) per key, however many players ask meanwhile. */
    private CompletableFuture<PlaylistFetcher.Fetched> coalesced(String key,
            java.util.function.Supplier<CompletableFuture<PlaylistFetcher.Fetched>> work) {
        CompletableFuture<PlaylistFetcher.Fetched> mine = new CompletableFuture<>();
        CompletableFuture<PlaylistFetcher.Fetched> running = recovering.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        work.get().whenComplete((fetched, error) -> {
            recovering.remove(key, mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(fetched);
            }
        });
        return mine;
    }

    /** Maps a media playlist's sequences for the player; {@code key} names the playlist within the stream. */
    public String ownSequence(Stream stream, String key, PlaylistFetcher.Fetched fetched) {
        SequenceMapper mapper = sequences.computeIfAbsent(stream.id() + "|" + key, k -> new SequenceMapper());
        String source = fetched.finalUri().getAuthority() + "#" + stream.sources().failoverIndex();
        synchronized (mapper) {
            return mapper.map(fetched.body(), source);
        }
    }

    void onStopped(@Observes StreamStopped stopped) {
        sequences.keySet().removeIf(k -> k.startsWith(stopped.streamId() + "|"));
    }

    /** Fetches the master from the current source, then {@code then} of it; a failure of either runs recovery. */
    private CompletableFuture<PlaylistFetcher.Fetched> attempt(Stream stream, RecoveryEpisode episode,
            Function<PlaylistFetcher.Fetched, CompletableFuture<PlaylistFetcher.Fetched>> then) {
        URI url = URI.create(stream.sources().requestUrl());
        return fetcher.fetch(stream.spec(), url)
                .thenCompose(master -> {
                    // The sticky lock follows the master's redirects, not those of what it names.
                    recovery.responded(stream.recoverySubject(), url, master.finalUri());
                    return then.apply(master);
                })
                .handle((fetched, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(fetched);
                    }
                    UpstreamFailure f = PlaylistFetcher.failureOf(error);
                    stream.countError();
                    RecoveryEpisode ep = episode != null ? episode : recovery.newEpisode(stream.sources());
                    return recovery.afterFailure(stream.recoverySubject(), ep, f).thenCompose(go -> go
                            ? attempt(stream, ep, then)
                            : CompletableFuture.<PlaylistFetcher.Fetched>failedFuture(new UpstreamFailureException(f)));
                }).thenCompose(x -> x);
    }
}
