package io.sluice.streams;

import io.sluice.config.Settings;
import io.sluice.events.StopCause;
import io.sluice.events.StreamFailed;
import io.sluice.support.DaemonThreads;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Periods of use (m3u-proxy's {@code is_active}): a stream with no player for {@code STREAM_TIMEOUT}, or one that
 * failed with no player left, ends its period with {@code stream_stopped}; a player coming back begins a new one
 * with {@code stream_started}. M3U Editor counts provider connections up when it creates a stream and down on
 * {@code stream_stopped}, so every period must end exactly once, also when nobody deletes the stream.
 */
@ApplicationScoped
public class StreamActivity {
    /** How often periods are looked at: a stop is announced at most this much after its moment. */
    private static final long SWEEP_MILLIS = 500;

    @Inject
    StreamRegistry registry;
    @Inject
    Settings settings;

    private ScheduledExecutorService timer;

    /** Eager: the sweep must run from the start, not from the first bean lookup. */
    void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // Touching the bean is enough: @PostConstruct starts the timer.
    }

    @PostConstruct
    void start() {
        timer = DaemonThreads.timer("sluice-stream-activity");
        timer.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    /** Runs on the thread that gave up on the stream: only a mark, the sweep decides. */
    void onFailed(@Observes StreamFailed failed) {
        registry.local(failed.streamId()).ifPresent(Stream::failed);
    }

    void sweep() {
        try {
            Instant idleBefore = Instant.now().minus(settings.streamTimeout());
            for (Stream s : registry.all()) {
                boolean watched = s.clientCount() > 0;
                if (watched) {
                    s.recovered(); // players came back after a failure: the stream is in use again
                    // Not for a stream removed since this pass listed it: its period is over for good.
                    if (!s.inUse() && registry.local(s.id()).orElse(null) == s && s.beginPeriod()) {
                        registry.started(s, "player");
                    }
                } else if (s.inUse() && s.failedInPeriod()) {
                    registry.ended(s, StopCause.of(StopCause.FAILED));
                } else if (s.inUse() && s.lastAccess().isBefore(idleBefore)) {
                    registry.ended(s, StopCause.of(StopCause.INACTIVE));
                }
            }
        } catch (RuntimeException e) {
            // One bad pass must not end the timer: the next one looks again.
            java.util.logging.Logger.getLogger(StreamActivity.class.getName()).warning(() -> "activity sweep: " + e);
        }
    }
}
