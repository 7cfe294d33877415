package io.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.sources.RecoveryEpisode;
import io.sluice.upstream.UpstreamFailure;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RelayRecoveryTest {
    private final AtomicInteger begun = new AtomicInteger();
    private final Supplier<RecoveryEpisode> fresh = () -> {
        begun.incrementAndGet();
        return null;
    };

    @Test
    void failuresOfOneOutageShareAnEpisodeUntilDataFlows() {
        RelayRecovery r = new RelayRecovery();
        RecoveryEpisode[] made = new RecoveryEpisode[1];
        Supplier<RecoveryEpisode> one = () -> {
            begun.incrementAndGet();
            return made[0] = new RecoveryEpisode(null, 0);
        };
        RecoveryEpisode a = r.episodeFor(UpstreamFailure.stall(1), one);
        RecoveryEpisode b = r.episodeFor(UpstreamFailure.status(503), one);
        assertSame(a, b);
        assertEquals(1, begun.get());
        assertTrue(r.isCurrent(a));
        r.stalled(100);
        r.stalled(200);
        assertEquals(400, r.recovered(500), "waited since the first stall");
        assertFalse(r.isCurrent(a));
        assertEquals(-1, r.recovered(600));
    }

    @Test
    void aRefusalOfThisInstancesOwnBeginsNoEpisode() {
        RelayRecovery r = new RelayRecovery();
        UpstreamFailure noTranscoder = UpstreamFailure.transcoder(503, "no transcoder here");
        assertNull(r.episodeFor(noTranscoder, fresh));
        assertEquals(0, begun.get());
        assertTrue(RelayRecovery.local(noTranscoder));
    }
}
