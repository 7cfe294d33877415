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
        // One recovery per stream, however many players ask meanwhile.
        CompletableFuture<PlaylistFetcher.Fetched> mine = new CompletableFuture<>();
        CompletableFuture<PlaylistFetcher.Fetched> running = recovering.putIfAbsent(stream.id(), mine);
        if (running != null) {
            return running;
        }
        attempt(stream, null).whenComplete((fetched, error) -> {
            recovering.remove(stream.id(), mine);
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

    private CompletableFuture<PlaylistFetcher.Fetched> attempt(Stream stream, RecoveryEpisode episode) {
        URI url = URI.create(stream.sources().requestUrl());
        return fetcher.fetch(stream.spec(), url).handle((fetched, error) -> {
            if (error == null) {
                recovery.responded(stream.recoverySubject(), url, fetched.finalUri());
                return CompletableFuture.completedFuture(fetched);
            }
            UpstreamFailure f = PlaylistFetcher.failureOf(error);
            stream.countError();
            RecoveryEpisode ep = episode != null ? episode : recovery.newEpisode(stream.sources());
            return recovery.afterFailure(stream.recoverySubject(), ep, f).thenCompose(go -> go
                    ? attempt(stream, ep)
                    : CompletableFuture.<PlaylistFetcher.Fetched>failedFuture(new UpstreamFailureException(f)));
        }).thenCompose(x -> x);
    }
}
