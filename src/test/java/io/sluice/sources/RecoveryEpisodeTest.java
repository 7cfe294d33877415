package io.sluice.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecoveryEpisodeTest {
    private static final long S = 1_000_000_000L;

    private static RetryPolicy policy(int attempts, double delay, boolean backoff, int total, int maxFailovers) {
        return new RetryPolicy(attempts, Duration.ofMillis((long) (delay * 1000)), backoff, Duration.ofSeconds(total),
                maxFailovers);
    }

    @Test
    void retriesThenFailsOverThenGivesUp() {
        RecoveryEpisode e = new RecoveryEpisode(policy(3, 1.0, false, 30, 0), 0);
        for (int i = 1; i <= 3; i++) {
            RecoveryEpisode.Retry r = assertInstanceOf(RecoveryEpisode.Retry.class, e.onFailure(i * S, false, true));
            assertEquals(i, r.attempt());
            assertEquals(Duration.ofSeconds(1), r.delay());
        }
        assertEquals(1, assertInstanceOf(RecoveryEpisode.Failover.class, e.onFailure(4 * S, false, true)).attempt());
        // The backup gets its own retries.
        assertInstanceOf(RecoveryEpisode.Retry.class, e.onFailure(5 * S, false, false));
        assertInstanceOf(RecoveryEpisode.Retry.class, e.onFailure(6 * S, false, false));
        assertInstanceOf(RecoveryEpisode.Retry.class, e.onFailure(7 * S, false, false));
        assertInstanceOf(RecoveryEpisode.GiveUp.class, e.onFailure(8 * S, false, false));
    }

    @Test
    void afterAStallOnDefaultsOneQuickRetryFitsThenTheFailover() {
        io.sluice.config.Settings defaults = io.sluice.config.Settings.from(name -> null);
        RetryPolicy p = RetryPolicy.afterStall(defaults);
        assertEquals(Duration.ofSeconds(5), p.totalTimeout());
        assertEquals(Duration.ofSeconds(3), p.attemptCost());
        RecoveryEpisode e = new RecoveryEpisode(p, 0);
        // The stall was noticed at 0: a retry after 1 s, judged on its first data within 3 s, fits in 5 s.
        assertInstanceOf(RecoveryEpisode.Retry.class, e.onFailure(0, false, true));
        // It failed at 4.2 s: another would end at 8.2 s, so the failover comes now (the order is kept).
        assertInstanceOf(RecoveryEpisode.Failover.class, e.onFailure(4_200_000_000L, false, true));
        // The first-data deadline is never longer than the chunk timeout itself.
        io.sluice.config.Settings quick = io.sluice.config.Settings.from(
                name -> name.equals("LIVE_CHUNK_TIMEOUT_SECONDS") ? "1" : null);
        assertEquals(Duration.ofSeconds(1), RetryPolicy.afterStall(quick).attemptCost());
    }

    @Test
    void backoffMultipliesByOneAndAHalf() {
        RecoveryEpisode e = new RecoveryEpisode(policy(4, 1.0, true, 0, 0), 0);
        long[] expectedMillis = {1000, 1500, 2250, 3375};
        for (long ms : expectedMillis) {
            assertEquals(Duration.ofMillis(ms), ((RecoveryEpisode.Retry) e.onFailure(0, false, false)).delay());
        }
    }

    @Test
    void theTotalTimeoutStopsRetriesButNotFailover() {
        RecoveryEpisode e = new RecoveryEpisode(policy(10, 2.0, false, 5, 0), 0);
        assertInstanceOf(RecoveryEpisode.Retry.class, e.onFailure(0, false, true)); // ends at 2 s
        assertInstanceOf(RecoveryEpisode.Retry.class, e.onFailure(2 * S, false, true)); // ends at 4 s
        // A third retry would end at 6 s, past the 5 s bound.
        assertInstanceOf(RecoveryEpisode.Failover.class, e.onFailure(4 * S, false, true));
    }

    @Test
    void aLockedBackendIsRetriedThenRevertedThenTheEntryUrlTriedOnce() {
        RecoveryEpisode e = new RecoveryEpisode(policy(2, 0.1, false, 30, 0), 0);
        assertInstanceOf(RecoveryEpisode.Retry.class, e.onFailure(0, true, true));
        assertInstanceOf(RecoveryEpisode.Retry.class, e.onFailure(0, true, true));
        assertInstanceOf(RecoveryEpisode.RevertSticky.class, e.onFailure(0, true, true));
        assertInstanceOf(RecoveryEpisode.Failover.class, e.onFailure(0, false, true));
    }

    @Test
    void maxFailoverAttemptsBoundsTheWalk() {
        RecoveryEpisode e = new RecoveryEpisode(policy(0, 0, false, 30, 2), 0);
        assertInstanceOf(RecoveryEpisode.Failover.class, e.onFailure(0, false, true));
        assertInstanceOf(RecoveryEpisode.Failover.class, e.onFailure(0, false, true));
        assertInstanceOf(RecoveryEpisode.GiveUp.class, e.onFailure(0, false, true));
    }
}
