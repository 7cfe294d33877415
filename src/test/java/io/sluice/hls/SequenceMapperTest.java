package io.sluice.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SequenceMapperTest {
    private static final SequenceMapper.Origin A = new SequenceMapper.Origin("0", "a");
    private static final SequenceMapper.Origin B = new SequenceMapper.Origin("0", "b");
    private static final SequenceMapper.Origin BACKUP = new SequenceMapper.Origin("1", "backup");
    /** The programme's clock: segment content index i is on air from START + 2 s * i. */
    private static final long START = Instant.parse("2026-12-06T02:00:00Z").toEpochMilli();

    /** A live window of {@code count} 2 s segments starting at {@code first}, named by host and sequence. */
    private static String window(String host, long first, int count, int target) {
        StringBuilder b = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + target
                + "\n#EXT-X-MEDIA-SEQUENCE:" + first + "\n");
        for (long s = first; s < first + count; s++) {
            b.append("#EXTINF:2.0,\nhttp://").append(host).append("/seg").append(s).append(".ts\n");
        }
        return b.toString();
    }

    /**
     * What a live origin numbering content index 0 as {@code zero} shows at {@code now}: the last 3 segments
     * complete by then, optionally with program date-time.
     */
    private static String live(String host, long zero, long now, boolean dated) {
        long edgeIndex = (now - START) / 2000 - 1;
        long first = edgeIndex - 2;
        StringBuilder b = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:"
                + (zero + first) + "\n");
        for (long i = first; i <= edgeIndex; i++) {
            if (dated) {
                b.append("#EXT-X-PROGRAM-DATE-TIME:").append(Instant.ofEpochMilli(START + 2000 * i)).append('\n');
            }
            b.append("#EXTINF:2.000,\nhttp://").append(host).append("/c").append(i).append(".ts\n");
        }
        return b.toString();
    }

    private static long tag(String playlist, String name) {
        Matcher m = Pattern.compile("#" + name + ":(\\d+)").matcher(playlist);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Output sequence number of each segment URI, and whether a discontinuity precedes it. */
    private static List<String> segments(String playlist) {
        List<String> out = new ArrayList<>();
        long seq = tag(playlist, "EXT-X-MEDIA-SEQUENCE");
        boolean disc = false;
        for (String line : playlist.split("\n")) {
            if (line.equals("#EXT-X-DISCONTINUITY")) {
                disc = true;
            } else if (!line.startsWith("#") && !line.isBlank()) {
                out.add(seq++ + (disc ? " D " : " ") + line);
                disc = false;
            }
        }
        return out;
    }

    /** Content index of each output number a player would play (from {@code /cN.ts}), checked never to repeat. */
    private static final class Viewer {
        long lastSeq = -1;
        long lastContent = -1;
        long lastFirst = -1;
        int discontinuities;
        final List<Long> played = new ArrayList<>();

        void poll(String playlist) {
            long first = tag(playlist, "EXT-X-MEDIA-SEQUENCE");
            assertTrue(first >= lastFirst, "media sequence went back from " + lastFirst + " to " + first);
            lastFirst = first;
            for (String s : segments(playlist)) {
                String[] p = s.split(" ");
                long seq = Long.parseLong(p[0]);
                if (seq <= lastSeq) {
                    continue;
                }
                long content = Long.parseLong(p[p.length - 1].replaceAll(".*/c(\\d+)\\.ts", "$1"));
                assertTrue(content > lastContent, "content " + content + " replayed after " + lastContent + ": " + playlist);
                if (s.contains(" D ")) {
                    discontinuities++;
                }
                played.add(content);
                lastSeq = seq;
                lastContent = content;
            }
        }
    }

    @Test
    void aSteadySourceIsPassedThroughUnchanged() {
        SequenceMapper m = new SequenceMapper();
        String p = window("a", 1000, 3, 2);
        assertEquals(p, m.map(p, A, 0));
        String q = window("a", 1001, 3, 2);
        assertEquals(q, m.map(q, A, 2000));
        assertEquals(q, m.map(q, A, 2500), "the same playlist again adds nothing");
    }

    @Test
    void aFailoverToADatedBackupNumberedOtherwiseReplaysNothing() {
        SequenceMapper m = new SequenceMapper();
        Viewer v = new Viewer();
        long t = START + 10_000;
        v.poll(m.map(live("primary", 1000, t, true), A, t));
        t += 3_000; // the primary dies; the backup carries the same programme with its own numbers
        String out = m.map(live("backup", 7, t, true), BACKUP, t);
        v.poll(out);
        assertEquals(List.of(2L, 3L, 4L, 5L), v.played, out);
        assertEquals(1, v.discontinuities, "one seam, at the change of source");
        for (int i = 0; i < 5; i++) {
            t += 2_000;
            v.poll(m.map(live("backup", 7, t, true), BACKUP, t));
        }
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), v.played);
    }

    @Test
    void aFailoverToABackupNumberedAlikeContinuesByNumber() {
        SequenceMapper m = new SequenceMapper();
        Viewer v = new Viewer();
        long t = START + 20_000;
        v.poll(m.map(live("primary", 500, t, false), A, t));
        t += 5_000; // the backup lags the primary by one segment
        v.poll(m.map(live("backup", 500, t - 2_000, false), BACKUP, t));
        t += 2_000;
        v.poll(m.map(live("backup", 500, t - 2_000, false), BACKUP, t));
        assertEquals(List.of(7L, 8L, 9L, 10L, 11L), v.played);
        assertEquals(1, v.discontinuities);
    }

    @Test
    void aFailoverWithNothingToAlignByPlacesTheBackupOnTheClock() {
        SequenceMapper m = new SequenceMapper();
        Viewer v = new Viewer();
        long t = START + 20_000;
        v.poll(m.map(live("primary", 900, t, false), A, t));
        t += 500; // a manual failover, moments later
        v.poll(m.map(live("backup", 3, t, false), BACKUP, t));
        for (int i = 0; i < 4; i++) {
            t += 2_000;
            v.poll(m.map(live("backup", 3, t, false), BACKUP, t));
        }
        assertEquals(List.of(7L, 8L, 9L, 10L, 11L, 12L, 13L), v.played);
        assertEquals(1, v.discontinuities);
    }

    @Test
    void backendsOfABalancerOneSegmentApartLookLikeOneSource() {
        SequenceMapper m = new SequenceMapper();
        Viewer v = new Viewer();
        long t = START + 30_000;
        for (int poll = 0; poll < 30; poll++) {
            boolean onA = poll % 2 == 0;
            // b lags a by a segment: its playlist is the one a showed two seconds ago
            v.poll(m.map(live(onA ? "a" : "b", 4000, onA ? t : t - 2_000, false), onA ? A : B, t));
            t += 1_100;
        }
        assertEquals(0, v.discontinuities);
        for (int i = 1; i < v.played.size(); i++) {
            assertEquals(v.played.get(i - 1) + 1, v.played.get(i), "every segment once, in order: " + v.played);
        }
        assertTrue(v.played.size() >= 16, v.played.toString());
    }

    @Test
    void backendsOfABalancerNumberedApartAdvanceWithTheContent() {
        SequenceMapper m = new SequenceMapper();
        Viewer v = new Viewer();
        long t = START + 30_000;
        long firstOut = -1;
        long lastOut = -1;
        for (int poll = 0; poll < 30; poll++) {
            boolean onA = poll % 2 == 0;
            String out = m.map(live(onA ? "a" : "b", onA ? 1000 : 500, t, false), onA ? A : B, t);
            v.poll(out);
            List<String> segs = segments(out);
            lastOut = Long.parseLong(segs.get(segs.size() - 1).split(" ")[0]);
            firstOut = firstOut < 0 ? lastOut : firstOut;
            t += 1_100;
        }
        // 33 s of programme: about 16 segments, the sequence must not run ahead of that
        long advanced = lastOut - firstOut;
        assertTrue(advanced >= 14 && advanced <= 18, "advanced " + advanced + " for 16 segments of content");
        assertTrue(v.discontinuities <= 1, v.discontinuities + " discontinuities");
    }

    @Test
    void aSameSourceRestartingItsNumbersIsPlacedOnTheClockWithADiscontinuity() {
        SequenceMapper m = new SequenceMapper();
        long t = START + 20_000;
        m.map(live("a", 50, t, false), A, t);
        t += 2_000;
        String out = m.map(live("a", -5, t, false), A, t);
        List<String> segs = segments(out);
        assertTrue(tag(out, "EXT-X-MEDIA-SEQUENCE") >= 57, out);
        assertEquals(1, segs.stream().filter(s -> s.contains(" D ")).count(), out);
        assertTrue(segs.get(segs.size() - 1).endsWith("/c10.ts"), out);
    }

    @Test
    void theDiscontinuitySequenceCountsSeamsLeavingTheWindow() {
        SequenceMapper m = new SequenceMapper();
        long t = START + 20_000;
        m.map(live("primary", 1000, t, true), A, t);
        t += 2_000;
        m.map(live("backup", 7, t, true), BACKUP, t);
        String out = "";
        for (int i = 0; i < 4; i++) {
            t += 2_000;
            out = m.map(live("backup", 7, t, true), BACKUP, t);
        }
        assertEquals(1, tag(out, "EXT-X-DISCONTINUITY-SEQUENCE"), out);
        assertFalse(out.contains("#EXT-X-DISCONTINUITY\n"), out);
    }

    @Test
    void keysAndTheTargetDurationStayRight() {
        SequenceMapper m = new SequenceMapper();
        long t = START + 20_000;
        m.map(live("primary", 1000, t, true).replace("#EXT-X-TARGETDURATION:2", "#EXT-X-TARGETDURATION:6"), A, t);
        String keyed = live("backup", 7, t + 2_000, true)
                .replace("#EXT-X-MEDIA-SEQUENCE:", "#EXT-X-KEY:METHOD=AES-128,URI=\"http://backup/k\"\n#EXT-X-MEDIA-SEQUENCE:");
        String out = m.map(keyed, BACKUP, t + 2_000);
        assertEquals(6, tag(out, "EXT-X-TARGETDURATION"), "target duration never decreases");
        int key = out.indexOf("#EXT-X-KEY:METHOD=AES-128");
        int none = out.indexOf("#EXT-X-KEY:METHOD=NONE");
        assertTrue(key > 0 && none < 0, "the backup's segments carry its key, the primary's none: " + out);
        assertTrue(key > out.indexOf("primary/"), out);
    }

    @Test
    void mastersAndCrlfAreKept() {
        SequenceMapper m = new SequenceMapper();
        String master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n";
        assertEquals(master, m.map(master, A, 0));
        String crlf = window("a", 5, 2, 2).replace("\n", "\r\n");
        assertEquals(crlf, m.map(crlf, A, 0));
    }

    @Test
    void dateTimesInTheUsualForms() {
        assertEquals(START, SequenceMapper.parseDate("2026-12-06T02:00:00Z"));
        assertEquals(START, SequenceMapper.parseDate("2026-12-06T03:00:00.000+01:00"));
        assertEquals(START, SequenceMapper.parseDate("2026-12-06T03:00:00.000+0100"));
        assertEquals(null, SequenceMapper.parseDate("yesterday"));
    }
}
