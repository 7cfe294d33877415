package io.sluice.sources;

import io.sluice.support.DaemonThreads;
import io.sluice.config.Settings;
import io.sluice.events.Events;
import io.sluice.events.FailoverTriggered;
import io.sluice.events.StickySessionLocked;
import io.sluice.events.StickySessionReverted;
import io.sluice.events.StreamFailed;
import io.sluice.upstream.UpstreamFailure;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * Carries out recovery episodes (SPEC 9.3) for any kind of stream: decides with {@link RecoveryEpisode},
 * waits the retry delay, reverts sticky locks, fails over (list or resolver), marks fail conditions, and
 * announces each step as an event. Callers reconnect when the returned future says so.
 */
@ApplicationScoped
public class Recovery {
    private static final Logger LOG = Logger.getLogger(Recovery.class.getName());

    @Inject
    Settings settings;
    @Inject
    Events events;
    @Inject
    InvalidSources invalid;
    @Inject
    ResolverClient resolver;

    private ScheduledExecutorService timer;
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicLong> retries =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Retries since start, by failure reason. */
    public Map<String, Long> retriesByReason() {
        Map<String, Long> out = new java.util.TreeMap<>();
        retries.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** What recovery needs to know of a stream. */
    public record Subject(String streamId, SourceState sources, Map<String, String> metadata, String resolverUrl,
                          IntSupplier clientCount) {
    }

    @PostConstruct
    void start() {
        timer = DaemonThreads.timer("sluice-recovery-timer");
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    public RecoveryEpisode newEpisode(SourceState sources) {
        sources.startEpisode();
        return new RecoveryEpisode(RetryPolicy.of(settings), System.nanoTime());
    }

    /** An episode that starts with a live source's stall: its retries fit in {@code LIVE_STALL_RECOVERY_SECONDS}. */
    public RecoveryEpisode newEpisodeAfterStall(SourceState sources) {
        sources.startEpisode();
        return new RecoveryEpisode(RetryPolicy.afterStall(settings), System.nanoTime());
    }

    /** An episode that starts with a playlist that timed out: players waited already; as after a stall. */
    public RecoveryEpisode newEpisodeAfterPlaylistTimeout(SourceState sources) {
        sources.startEpisode();
        return new RecoveryEpisode(RetryPolicy.afterWait(settings, settings.playlistDeadline()), System.nanoTime());
    }

    /** Where an automatic failover of {@code s} would go now, to connect it ahead (none with a resolver). */
    public Optional<String> nextFailoverUrl(Subject s) {
        return s.sources().nextFailoverUrl(invalid::isInvalid);
    }

    /**
     * Handles one failure of {@code subject}'s current URL. Completes with true when the next attempt may start
     * (against {@code sources.requestUrl()}), false when the stream has failed for good.
     */
    public CompletableFuture<Boolean> afterFailure(Subject s, RecoveryEpisode episode, UpstreamFailure f) {
        String failedUrl = s.sources().requestUrl();
        if (f.kind() == UpstreamFailure.Kind.STATUS) {
            invalid.markIfFailCondition(s.streamId(), s.metadata(), s.sources().entryUrl(), f.statusCode());
        }
        RecoveryEpisode.Decision d = episode.onFailure(System.nanoTime(), s.sources().isLocked(),
                s.sources().sourcesLeft(invalid::isInvalid));
        if (d instanceof RecoveryEpisode.Retry r) {
            retries.computeIfAbsent(f.reason(), k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
            LOG.info(() -> "retrying stream=" + s.streamId() + " attempt=" + r.attempt() + " delay="
                    + r.delay().toMillis() + "ms reason=" + f.reason());
            return delay(r.delay());
        }
        if (d instanceof RecoveryEpisode.RevertSticky) {
            Optional<String> was = s.sources().unlock();
            events.fire(new StickySessionReverted(s.streamId(), was.orElse(failedUrl), s.sources().entryUrl(),
                    f.reason(), s.metadata(), Instant.now()));
            return CompletableFuture.completedFuture(true);
        }
        if (d instanceof RecoveryEpisode.Failover fo) {
            if (s.resolverUrl() != null) {
                return delay(resolverPace(fo.attempt())).thenCompose(ignored -> {
                    if (s.clientCount().getAsInt() == 0) {
                        // Nobody is left to watch: asking for yet another source would only make traffic.
                        failed(s, failedUrl, f);
                        return CompletableFuture.completedFuture(false);
                    }
                    return resolver.nextUrl(s.resolverUrl(), failedUrl, s.metadata(), s.sources().failoverIndex(),
                            f.statusCode(), f.reason()).thenApply(next -> {
                        if (next.isEmpty()) {
                            failed(s, failedUrl, f);
                            return false;
                        }
                        announce(s, s.sources().resolvedTo(next.get()), f.reason(), false);
                        return true;
                    });
                });
            }
            Optional<SourceState.Move> move = s.sources().failover(invalid::isInvalid);
            if (move.isPresent()) {
                announce(s, move.get(), f.reason(), false);
                return CompletableFuture.completedFuture(true);
            }
        }
        failed(s, failedUrl, f);
        return CompletableFuture.completedFuture(false);
    }

    /**
     * SPEC 9.5, 9.6: the next source at once. With a resolver, it is asked first (as m3u-proxy does; M3U Editor's
     * "fail over this channel" relies on it), and the list is the fallback; empty when neither yields a source.
     */
    public CompletableFuture<Optional<SourceState.Move>> manualFailover(Subject s) {
        CompletableFuture<Optional<String>> resolved = s.resolverUrl() == null
                ? CompletableFuture.completedFuture(Optional.empty())
                : resolver.nextUrl(s.resolverUrl(), s.sources().requestUrl(), s.metadata(),
                        s.sources().failoverIndex(), 0, "manual");
        return resolved.thenApply(next -> {
            Optional<SourceState.Move> move = next.isPresent()
                    ? Optional.of(s.sources().resolvedTo(next.get()))
                    : s.sources().manualFailover();
            move.ifPresent(m -> announce(s, m, "manual", true));
            return move;
        });
    }

    /** After a response: lock onto the backend the entry URL redirected to (when sticky sessions are on). */
    public void responded(Subject s, URI requested, URI finalUri) {
        if (s.sources().lockTo(requested, finalUri)) {
            events.fire(new StickySessionLocked(s.streamId(), requested.toString(), finalUri.toString(),
                    s.metadata(), Instant.now()));
        }
    }

    private void announce(Subject s, SourceState.Move m, String reason, boolean manual) {
        events.fire(new FailoverTriggered(s.streamId(), m.oldUrl(), m.newUrl(), m.failoverIndex(), m.attempt(),
                reason, s.clientCount().getAsInt(), manual, s.metadata(), Instant.now()));
    }

    private void failed(Subject s, String lastUrl, UpstreamFailure f) {
        events.fire(new StreamFailed(s.streamId(), lastUrl, f.reason(), s.clientCount().getAsInt(), s.metadata(),
                Instant.now()));
    }

    /**
     * The wait before the resolver is asked for the {@code attempt}-th source of an episode: the first at once,
     * then 0.5 s doubling to at most 2 s. A resolver naming only failing URLs is then asked ten times (the
     * episode's bound) in about 16 s, not thousands of times a minute.
     */
    static Duration resolverPace(int attempt) {
        if (attempt <= 1) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(Math.min(2000L, 500L << Math.min(attempt - 2, 4)));
    }

    private CompletableFuture<Boolean> delay(Duration d) {
        if (d.isZero()) {
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<Boolean> later = new CompletableFuture<>();
        timer.schedule(() -> later.complete(true), d.toNanos(), TimeUnit.NANOSECONDS);
        return later;
    }
}
