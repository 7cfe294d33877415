package io.sluice.sources;

import java.time.Duration;

/**
 * The decisions of one recovery episode (SPEC 9.3), without I/O or clocks of its own: retry the current URL,
 * then revert a sticky lock, then fail over, then give up. An episode starts with the first failure after a
 * success and ends with the next success (the caller then drops it).
 */
public final class RecoveryEpisode {

    /** What to do about a failure. */
    public sealed interface Decision permits Retry, RevertSticky, Failover, GiveUp {
    }

    /** Try the same URL again after {@code delay}; {@code attempt} counts retries of this URL from 1. */
    public record Retry(Duration delay, int attempt) implements Decision {
    }

    /** Drop the sticky lock and try the entry URL (once). */
    public record RevertSticky() implements Decision {
    }

    /** Move to the next source; {@code attempt} counts failovers in this episode from 1. */
    public record Failover(int attempt) implements Decision {
    }

    public record GiveUp() implements Decision {
    }

    private final RetryPolicy policy;
    private final long startNanos;
    private int retriesOfCurrent;
    private int failovers;
    private boolean entryTriedAfterRevert;

    public RecoveryEpisode(RetryPolicy policy, long startNanos) {
        this.policy = policy;
        this.startNanos = startNanos;
    }

    /**
     * Decides after a failure at {@code nowNanos}. {@code stickyLocked}: the failed URL was a locked backend.
     * {@code sourcesLeft}: another source may be tried in this episode's walk of the list.
     */
    public Decision onFailure(long nowNanos, boolean stickyLocked, boolean sourcesLeft) {
        if (!entryTriedAfterRevert && retriesOfCurrent < policy.attempts()) {
            Duration next = policy.delayBefore(retriesOfCurrent + 1);
            boolean inTime = policy.totalTimeout().isZero()
                    || nowNanos - startNanos + next.toNanos() + policy.attemptCost().toNanos()
                    <= policy.totalTimeout().toNanos();
            if (inTime) {
                retriesOfCurrent++;
                return new Retry(next, retriesOfCurrent);
            }
        }
        if (stickyLocked) {
            entryTriedAfterRevert = true; // the entry URL gets one try: it may redirect to a healthy backend
            return new RevertSticky();
        }
        boolean underCap = policy.maxFailoverAttempts() == 0 || failovers < policy.maxFailoverAttempts();
        if (sourcesLeft && underCap) {
            failovers++;
            retriesOfCurrent = 0;
            entryTriedAfterRevert = false;
            return new Failover(failovers);
        }
        return new GiveUp();
    }
}
