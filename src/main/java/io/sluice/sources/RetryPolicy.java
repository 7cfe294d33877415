package io.sluice.sources;

import io.sluice.config.Settings;
import java.time.Duration;

/** SPEC 9.3.1: how often and how far apart the current URL is retried, and the bound on one episode. */
public record RetryPolicy(int attempts, Duration delay, boolean exponentialBackoff, Duration totalTimeout,
                          int maxFailoverAttempts) {

    public static RetryPolicy of(Settings s) {
        return new RetryPolicy(s.retryAttempts(), s.retryDelay(), s.retryExponentialBackoff(), s.totalTimeout(),
                s.maxFailoverAttempts());
    }

    /** The wait before retry number {@code n} (1-based): the delay, times 1.5 per earlier retry with backoff. */
    public Duration delayBefore(int n) {
        if (!exponentialBackoff || n <= 1) {
            return delay;
        }
        return Duration.ofNanos(Math.round(delay.toNanos() * Math.pow(1.5, n - 1)));
    }
}
