package io.sluice.sources;

import io.sluice.config.Settings;
import java.time.Duration;

/**
 * SPEC 9.3.1: how often and how far apart the current URL is retried, and the bound on one episode. A retry is
 * started only when its delay and {@code attemptCost} (how long judging it may take) still fit in the bound.
 */
public record RetryPolicy(int attempts, Duration delay, boolean exponentialBackoff, Duration totalTimeout,
                          int maxFailoverAttempts, Duration attemptCost) {

    public RetryPolicy(int attempts, Duration delay, boolean exponentialBackoff, Duration totalTimeout,
            int maxFailoverAttempts) {
        this(attempts, delay, exponentialBackoff, totalTimeout, maxFailoverAttempts, Duration.ZERO);
    }

    public static RetryPolicy of(Settings s) {
        return new RetryPolicy(s.retryAttempts(), s.retryDelay(), s.retryExponentialBackoff(), s.totalTimeout(),
                s.maxFailoverAttempts());
    }

    /**
     * After a live source stalled, its players have already waited {@code LIVE_CHUNK_TIMEOUT_SECONDS}: its
     * retries, each judged on {@code LIVE_FIRST_DATA_TIMEOUT_SECONDS}, go on only while the episode can still
     * move on within {@code LIVE_STALL_RECOVERY_SECONDS} (and {@code STREAM_TOTAL_TIMEOUT}). Same order.
     */
    public static RetryPolicy afterStall(Settings s) {
        return afterWait(s, s.firstDataDeadline());
    }

    /**
     * After players have already waited out a timeout (a live stall, a playlist that did not come): retries, each
     * costing {@code attemptCost} to judge, go on only while the episode can still move on within
     * {@code LIVE_STALL_RECOVERY_SECONDS} (and {@code STREAM_TOTAL_TIMEOUT}).
     */
    public static RetryPolicy afterWait(Settings s, Duration attemptCost) {
        Duration bound = s.totalTimeout().isZero() || s.liveStallRecovery().compareTo(s.totalTimeout()) < 0
                ? s.liveStallRecovery() : s.totalTimeout();
        if (bound.isZero()) {
            bound = Duration.ofNanos(1); // zero means no retries here, not "no bound"
        }
        return new RetryPolicy(s.retryAttempts(), s.retryDelay(), s.retryExponentialBackoff(), bound,
                s.maxFailoverAttempts(), attemptCost);
    }

    /** The wait before retry number {@code n} (1-based): the delay, times 1.5 per earlier retry with backoff. */
    public Duration delayBefore(int n) {
        if (!exponentialBackoff || n <= 1) {
            return delay;
        }
        return Duration.ofNanos(Math.round(delay.toNanos() * Math.pow(1.5, n - 1)));
    }
}
