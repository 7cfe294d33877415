package io.sluice.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SourceStateTest {
    private static final String P = "http://p.tv/1.ts";
    private static final String B1 = "http://b1.tv/1.ts";
    private static final String B2 = "http://b2.tv/1.ts";

    @Test
    void manualFailoverNeverSkipsAndStopsAtTheEnd() {
        SourceState s = new SourceState(P, List.of(B1, B2), false, false);
        assertEquals(B1, s.manualFailover().orElseThrow().newUrl());
        assertEquals(0, s.failoverIndex());
        assertEquals(B2, s.manualFailover().orElseThrow().newUrl());
        assertTrue(s.manualFailover().isEmpty());
        assertEquals(2, s.failoverAttempts());
    }

    @Test
    void automaticFailoverSkipsInvalidSources() {
        SourceState s = new SourceState(P, List.of(B1, B2), false, false);
        s.startEpisode();
        Set<String> invalid = Set.of(B1);
        assertEquals(B2, s.failover(invalid::contains).orElseThrow().newUrl());
        assertFalse(s.sourcesLeft(invalid::contains), "every other source was walked");
        assertTrue(s.failover(invalid::contains).isEmpty());
    }

    @Test
    void automaticFailoverWrapsToThePrimaryOncePerEpisode() {
        SourceState s = new SourceState(P, List.of(B1, B2), false, false);
        s.manualFailover(); // the stream stays on B1 after an earlier recovery
        s.startEpisode();
        assertEquals(B2, s.failover(x -> false).orElseThrow().newUrl());
        assertEquals(P, s.failover(x -> false).orElseThrow().newUrl());
        assertTrue(s.failover(x -> false).isEmpty(), "B1, where the episode began, is not tried again");
    }

    @Test
    void locksOntoTheBackendOnlyWhenStickyAndRedirected() {
        SourceState s = new SourceState(P, List.of(B1), true, false);
        assertFalse(s.lockTo(URI.create(P), URI.create(P)), "no redirect, no lock");
        assertTrue(s.lockTo(URI.create(P), URI.create("http://node7.p.tv/1.ts")));
        assertEquals("http://node7.p.tv/1.ts", s.requestUrl());
        assertEquals(P, s.entryUrl());
        assertEquals("http://node7.p.tv/1.ts", s.unlock().orElseThrow());
        assertEquals(P, s.requestUrl());
        assertFalse(new SourceState(P, List.of(), false, false).lockTo(URI.create(P), URI.create(B1)), "sticky off");
    }

    /** Issue 13.4: a resolver naming failing URLs is walked a bounded number of times per episode. */
    @Test
    void aResolverWalkEndsAfterItsBoundAndKeepsFewUrls() {
        SourceState s = new SourceState(P, List.of(), false, true);
        for (int episode = 0; episode < 5; episode++) {
            s.startEpisode();
            int steps = 0;
            while (s.sourcesLeft(u -> false)) {
                assertTrue(steps < 100, "the walk never ends");
                String next = "http://r.tv/" + episode + "-" + steps++ + ".ts";
                assertEquals(next, s.resolvedTo(next).newUrl());
                assertEquals(next, s.requestUrl());
            }
            assertEquals(SourceState.MAX_RESOLVED_PER_EPISODE, steps);
        }
        // 50 URLs named over the episodes; only the newest few are remembered, the primary always.
        s.startEpisode();
        assertEquals("http://r.tv/4-9.ts", s.resolvedTo("http://r.tv/4-9.ts").oldUrl(), "a known URL is reused");
        assertTrue(s.failoverIndex() < SourceState.MAX_RESOLVED_KEPT, "index " + s.failoverIndex());
        assertEquals(P, s.resolvedTo(P).newUrl());
        assertEquals(-1, s.failoverIndex());
    }

    @Test
    void theResolverIsAskedAtOnceThenAtAPace() {
        assertEquals(0, Recovery.resolverPace(1).toMillis());
        assertEquals(500, Recovery.resolverPace(2).toMillis());
        assertEquals(1000, Recovery.resolverPace(3).toMillis());
        assertEquals(2000, Recovery.resolverPace(4).toMillis());
        assertEquals(2000, Recovery.resolverPace(1000).toMillis());
    }
}
