package io.sluice.hlsout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The live window: a sequence that only grows, discontinuities counted right, memory bounded. */
class SegmentWindowTest {
    private static final Instant T = Instant.parse("2026-12-06T02:00:00Z");

    private static long tag(String playlist, String name) {
        Matcher m = Pattern.compile("#EXT-X-" + name + ":(\\d+)").matcher(playlist);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static List<String> uris(String playlist) {
        return playlist.lines().filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void nothingToShowBeforeTheFirstSegment() {
        assertNull(new SegmentWindow(3, 2, 1 << 20, false).playlist(""));
    }

    @Test
    void requestsWaitingForTheFirstSegmentAreAnsweredByItOnceAndThoseGivenUpNever() {
        SegmentWindow w = new SegmentWindow(3, 2, 1 << 20, false);
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger forgotten = new java.util.concurrent.atomic.AtomicInteger();
        Runnable waiting = answered::incrementAndGet;
        Runnable givenUp = forgotten::incrementAndGet;
        w.whenFirst(waiting);
        w.whenFirst(givenUp);
        assertTrue(w.forget(givenUp), "not run yet, so it can be given up");
        assertEquals(0, answered.get());
        w.add("live0.ts", new byte[188], 2.0, T);
        w.add("live1.ts", new byte[188], 2.0, T.plusSeconds(2));
        assertEquals(1, answered.get(), "the first segment answers each waiting request once");
        assertEquals(0, forgotten.get());
        assertTrue(!w.forget(waiting), "already answered");
        w.whenFirst(waiting);
        assertEquals(2, answered.get(), "with a segment there, a request is answered at once");
    }

    @Test
    void theWindowSlidesAndTheSequenceFollowsTheFirstSegmentShown() {
        SegmentWindow w = new SegmentWindow(3, 2, 1 << 20, false);
        for (int i = 0; i < 10; i++) {
            w.add("live" + i + ".ts", new byte[188], 2.0, T.plusSeconds(2L * i));
        }
        String p = w.playlist("");
        assertEquals(List.of("live7.ts", "live8.ts", "live9.ts"), uris(p));
        assertEquals(7, tag(p, "MEDIA-SEQUENCE"));
        assertEquals(2, tag(p, "TARGETDURATION"));
        assertEquals(3 + SegmentWindow.GRACE_SEGMENTS, w.size(), "a few more kept for players a refresh behind");
        assertTrue(w.segment("live5.ts").isPresent());
        assertTrue(w.segment("live2.ts").isEmpty());
    }

    @Test
    void aNewProducerIsADiscontinuityAndItsCountFollowsTheWindow() {
        SegmentWindow w = new SegmentWindow(2, 2, 1 << 20, false);
        w.discontinuity(); // nothing shown yet: no tag
        w.add("a0.ts", new byte[1], 2, T);
        w.add("a1.ts", new byte[1], 2, T);
        w.discontinuity();
        w.add("b0.ts", new byte[1], 2, T);
        String p = w.playlist("");
        assertEquals(List.of("a1.ts", "b0.ts"), uris(p));
        assertTrue(p.contains("a1.ts\n#EXT-X-DISCONTINUITY\n"), p);
        assertEquals(0, tag(p, "DISCONTINUITY-SEQUENCE"));
        w.add("b1.ts", new byte[1], 2, T);
        w.add("b2.ts", new byte[1], 2, T);
        p = w.playlist("");
        assertEquals(List.of("b1.ts", "b2.ts"), uris(p));
        assertEquals(1, tag(p, "DISCONTINUITY-SEQUENCE"), "the tag before b0 left the playlist");
        assertEquals(3, tag(p, "MEDIA-SEQUENCE"));
        assertTrue(!p.contains("#EXT-X-DISCONTINUITY\n"), p);
        for (int i = 3; i < 12; i++) {
            w.add("b" + i + ".ts", new byte[1], 2, T);
        }
        assertEquals(1, tag(w.playlist(""), "DISCONTINUITY-SEQUENCE"), "still one once b0 left memory too");
    }

    @Test
    void theTargetDurationNeverDecreases() {
        SegmentWindow w = new SegmentWindow(2, 2, 1 << 20, false);
        w.add("a.ts", new byte[1], 4.2, T);
        for (int i = 0; i < 5; i++) {
            w.add("b" + i + ".ts", new byte[1], 2, T);
        }
        assertEquals(5, tag(w.playlist(""), "TARGETDURATION"));
    }

    @Test
    void bytesBoundTheWindowButTheNewestSegmentStays() {
        SegmentWindow w = new SegmentWindow(10, 2, 1000, false);
        for (int i = 0; i < 5; i++) {
            w.add("s" + i + ".ts", new byte[400], 2, T);
        }
        assertEquals(2, w.size());
        assertTrue(w.bytes() <= 1000);
        w.add("huge.ts", new byte[5000], 2, T);
        assertEquals(1, w.size());
        assertEquals(List.of("huge.ts"), uris(w.playlist("")));
    }

    @Test
    void urisCarryTheGivenPrefixAndEverySegmentItsDateTime() {
        SegmentWindow w = new SegmentWindow(3, 2, 1 << 20, false);
        w.add("x.ts", new byte[1], 2, T);
        String p = w.playlist("seg/");
        assertTrue(p.contains("#EXT-X-PROGRAM-DATE-TIME:2026-12-06T01:59:58Z\n#EXTINF:2.000,\nseg/x.ts\n"), p);
    }
}
