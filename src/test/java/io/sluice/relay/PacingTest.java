package io.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacingTest {
    private static final int MIB2 = 2 * 1024 * 1024;

    @Test
    void roomIsTheRingBehindTheOldestHoldingPlayerLessTheSlack() {
        assertEquals(MIB2 - 256 * 1024, Pacing.room(MIB2, 10_000, 10_000));
        assertEquals(MIB2 - 256 * 1024 - 1000, Pacing.room(MIB2, 10_000, 9_000));
        assertEquals(0, Pacing.room(MIB2, 10 * MIB2, 0), "never negative");
        assertEquals(64 * 1024 / 4 * 3, Pacing.room(64 * 1024, 0, 0), "a small ring keeps a quarter as slack");
    }

    @Test
    void aNewPlayerStartsHalfARingBackButNotBeforeTheConnection() {
        assertEquals(MIB2 * 3L - MIB2 / 2, Pacing.joinPosition(0, MIB2 * 2L, MIB2 * 3L, MIB2));
        assertEquals(500, Pacing.joinPosition(500, 0, 1000, MIB2));
    }

    @Test
    void aBlockedPlayerStopsHoldingTheUpstreamAfterTheGrace() {
        long grace = 1_000_000_000L;
        assertTrue(Pacing.holdsUpstream(true, 0, 5 * grace, grace));
        assertTrue(Pacing.holdsUpstream(true, 4 * grace, 5 * grace, grace));
        assertFalse(Pacing.holdsUpstream(true, 3 * grace, 5 * grace, grace));
        assertFalse(Pacing.holdsUpstream(false, 0, 5 * grace, grace), "not started or done");
    }

    @Test
    void aLaggardLandsHalfARingBehindTheNewEdge() {
        assertEquals(1000 + 600 - 1000, Pacing.firstKeptAfter(1000, 600, 1000));
        assertEquals(1600 - 500, Pacing.skipTarget(1000, 600, 1000));
        assertEquals(1500 - 500, Pacing.skipTarget(1000, 500, 1000), "an append of half a ring");
    }
}
