package io.sluice.hls;

import io.sluice.streams.StreamRemoved;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A stream's own playlist (the registered URL) and the playlists its master names, with the stream's
 * resilience: the current source or its sticky backend is fetched, and a failure runs the stream's recovery
 * episode (retry, revert, failover). However many players and variants fail at once, a stream takes one
 * recovery step at a time in one episode, so it never skips a healthy source; the sequence players see is
 * owned by Sluice.
 */
@ApplicationScoped
public class MainPlaylists {
    @Inject
    PlaylistFetcher fetcher;
    @Inject
    Recovery recovery;

    private final ConcurrentHashMap<String, CompletableFuture<PlaylistFetcher.Fetched>> fetching =
            new ConcurrentHashMap<>();
    /** The recovery step a stream is taking now; others that fail meanwhile follow its decision. */
    private final ConcurrentHashMap<String, CompletableFuture<Boolean>> stepping = new ConcurrentHashMap<>();
    /** The stream's episode, from its first failure to its next success (one per stream, as for live relays). */
    private final ConcurrentHashMap<String, RecoveryEpisode> episodes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SequenceMapper> sequences = new ConcurrentHashMap<>();
    /** Whether each live media playlist still advances (issue 15: playlist_stale). */
    private final PlaylistProgress progress = new PlaylistProgress();

    /** A playlist of a master, as a player's reference names it: the tag that names it and its index among those. */
    public record Position(String tag, int index) {
    }

    /** The stream's playlist as players should see its sequence (URIs not yet rewritten). */
    public CompletableFuture<PlaylistFetcher.Fetched> fetch(Stream stream) {
        return coalesced(stream.id(), () -> attempt(stream, CompletableFuture::completedFuture));
    }

    /**
     * The playlist at {@code position} of the stream's master, fetched from the current source; a failure of the
     * master or of that playlist is a failure of the source, recovered like the master's own.
     */
    public CompletableFuture<PlaylistFetcher.Fetched> fetchVariant(Stream stream, Position position) {
        return coalesced(stream.id() + "|" + position.tag() + "|" + position.index(),
                () -> attempt(stream, master -> pick(stream, master, position)));
    }

    private CompletableFuture<PlaylistFetcher.Fetched> pick(Stream stream, PlaylistFetcher.Fetched master, Position p) {
        List<Playlists.Named> named = Playlists.playlistUris(master.body(), master.finalUri());
        if (named.isEmpty()) {
            return CompletableFuture.completedFuture(master); // this source is a media playlist itself
        }
        List<URI> sameKind = named.stream().filter(n -> n.tag().equals(p.tag())).map(Playlists.Named::uri).toList();
        if (sameKind.isEmpty()) {
            // Nothing of that kind here: a video variant is the one thing every player can play.
            sameKind = named.stream().filter(n -> n.tag().equals("#EXT-X-STREAM-INF")).map(Playlists.Named::uri).toList();
        }
        // A backup's master may name fewer: the last of the kind is the closest guess.
        URI target = sameKind.isEmpty() ? named.get(0).uri() : sameKind.get(Math.min(p.index(), sameKind.size() - 1));
        return fetcher.fetch(stream.spec(), stream.headerOrigins(), target);
    }

    /** One fetch (and its recovery) per key, however many players ask meanwhile. */
    private CompletableFuture<PlaylistFetcher.Fetched> coalesced(String key,
            Supplier<CompletableFuture<PlaylistFetcher.Fetched>> work) {
        CompletableFuture<PlaylistFetcher.Fetched> mine = new CompletableFuture<>();
        CompletableFuture<PlaylistFetcher.Fetched> running = fetching.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        CompletableFuture<PlaylistFetcher.Fetched> started;
        try {
            started = work.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e); // the entry must go, or every later request would wait on it
        }
        started.whenComplete((fetched, error) -> {
            fetching.remove(key, mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(fetched);
            }
        });
        return mine;
    }

    /**
     * Maps a media playlist's sequences for the player; {@code key} names the playlist within the stream. The
     * source is the stream's position in its source list; the backend is the host that answered (a balancer's
     * backends are backends of one source).
     */
    public String ownSequence(Stream stream, String key, PlaylistFetcher.Fetched fetched) {
        SequenceMapper mapper = sequences.computeIfAbsent(stream.id() + "|" + key, k -> new SequenceMapper());
        SequenceMapper.Origin origin = new SequenceMapper.Origin(
                Integer.toString(stream.sources().failoverIndex()), fetched.finalUri().getAuthority());
        // Segments shown from an earlier playlist stay in the window: their URIs must not depend on today's base.
        String absolute = PlaylistRewriter.rewrite(fetched.body(), fetched.finalUri(), AS_IS);
        synchronized (mapper) {
            return mapper.map(absolute, origin, fetched.fetchedAtMillis());
        }
    }

    /** Leaves every URI as its absolute upstream form. */
    private static final PlaylistRewriter.UriMapper AS_IS = new PlaylistRewriter.UriMapper() {
        @Override
        public String playlist(URI upstream) {
            return upstream.toString();
        }

        @Override
        public String media(URI upstream) {
            return upstream.toString();
        }
    };

    void onRemoved(@Observes StreamRemoved stopped) {
        sequences.keySet().removeIf(k -> k.startsWith(stopped.streamId() + "|"));
        progress.forgetStream(stopped.streamId());
        episodes.remove(stopped.streamId());
    }

    /** Fetches the master from the current source, then {@code then} of it; a failure of either is the source's. */
    private CompletableFuture<PlaylistFetcher.Fetched> attempt(Stream stream,
            Function<PlaylistFetcher.Fetched, CompletableFuture<PlaylistFetcher.Fetched>> then) {
        URI url = URI.create(stream.sources().requestUrl());
        return fetcher.fetch(stream.spec(), stream.headerOrigins(), url)
                .thenCompose(master -> {
                    // The sticky lock follows the master's redirects, not those of what it names.
                    recovery.responded(stream.recoverySubject(), url, master.finalUri());
                    return then.apply(master);
                })
                .handle((fetched, error) -> {
                    String progressKey = fetched == null ? null : stream.id() + "|" + fetched.finalUri();
                    if (error == null && progress.stale(progressKey, fetched.body(), System.nanoTime())) {
                        // Up but broken (issue 15): a frozen live playlist is a failure of its source.
                        progress.forget(progressKey);
                        stream.noteHealth(url.toString(), "playlist_stale");
                        error = new UpstreamFailureException(
                                UpstreamFailure.playlistStale(Playlists.targetDuration(fetched.body())));
                    }
                    if (error == null) {
                        episodes.remove(stream.id()); // a success ends the episode
                        return CompletableFuture.completedFuture(fetched);
                    }
                    UpstreamFailure f = PlaylistFetcher.failureOf(error);
                    stream.countError();
                    return step(stream, url, f).thenCompose(go -> go
                            ? attempt(stream, then)
                            : CompletableFuture.<PlaylistFetcher.Fetched>failedFuture(new UpstreamFailureException(f)));
                }).thenCompose(x -> x);
    }

    /**
     * A segment failed after its retry (issue 15): a failure of the source that was current when the player
     * asked for it, recovered like a playlist's, so the next playlist refresh comes from the recovered source.
     * A stream that has moved on since is left alone.
     */
    public CompletableFuture<Boolean> segmentFailed(Stream stream, URI sourceAtRequest, UpstreamFailure f) {
        stream.countError();
        return step(stream, sourceAtRequest, f);
    }

    /** One recovery step for a failure of {@code failed}; true when there is a source to try (again). */
    private CompletableFuture<Boolean> step(Stream stream, URI failed, UpstreamFailure f) {
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = stepping.putIfAbsent(stream.id(), mine);
        if (running != null) {
            return running; // another request of this stream is deciding already: follow it
        }
        if (!failed.toString().equals(stream.sources().requestUrl())) {
            // The stream moved on while this request was failing: the new source has not failed yet.
            stepping.remove(stream.id(), mine);
            mine.complete(true);
            return mine;
        }
        RecoveryEpisode ep = episodes.computeIfAbsent(stream.id(), id -> f.kind() == UpstreamFailure.Kind.TIMEOUT
                ? recovery.newEpisodeAfterPlaylistTimeout(stream.sources())
                : recovery.newEpisode(stream.sources()));
        recovery.afterFailure(stream.recoverySubject(), ep, f).whenComplete((go, error) -> {
            boolean again = error == null && Boolean.TRUE.equals(go);
            if (!again) {
                episodes.remove(stream.id(), ep); // the next failure starts afresh
            }
            stepping.remove(stream.id(), mine);
            mine.complete(again);
        });
        return mine;
    }
}
