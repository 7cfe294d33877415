package io.sluice.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SequenceMapperTest {

    /** A live window of {@code count} 2 s segments starting at {@code first}, named by sequence and host. */
    private static String window(String host, long first, int count, int target) {
        StringBuilder b = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + target
                + "\n#EXT-X-MEDIA-SEQUENCE:" + first + "\n");
        for (long s = first; s < first + count; s++) {
            b.append("#EXTINF:2.0,\nhttp://").append(host).append("/seg").append(s).append(".ts\n");
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

    @Test
    void aSteadySourceIsPassedThroughUnchanged() {
        SequenceMapper m = new SequenceMapper();
        String p = window("a", 1000, 3, 2);
        assertEquals(p, m.map(p, "a"));
        String q = window("a", 1001, 3, 2);
        assertEquals(q, m.map(q, "a"));
    }

    @Test
    void backendsOutOfSyncNeverMoveThePlayerBackwards() {
        SequenceMapper m = new SequenceMapper();
        long lastSeq = -1;
        long lastFirst = -1;
        long lastDiscSeq = 0;
        // A load balancer alternating between backends 500 segments apart.
        for (int poll = 0; poll < 10; poll++) {
            String host = poll % 2 == 0 ? "a" : "b";
            long upstreamFirst = (poll % 2 == 0 ? 1000 : 500) + poll / 2;
            String out = m.map(window(host, upstreamFirst, 3, 2), host);
            long first = tag(out, "EXT-X-MEDIA-SEQUENCE");
            assertTrue(first >= lastFirst, "media sequence went from " + lastFirst + " to " + first);
            long discSeq = tag(out, "EXT-X-DISCONTINUITY-SEQUENCE");
            assertTrue(discSeq >= lastDiscSeq);
            List<String> segs = segments(out);
            if (poll > 0) {
                assertTrue(segs.get(0).contains(" D "), "discontinuity before the new backend's first segment: " + segs);
            }
            lastFirst = first;
            lastDiscSeq = discSeq;
            lastSeq = Long.parseLong(segs.get(segs.size() - 1).split(" ")[0]);
        }
        assertTrue(lastSeq > 1000);
    }

    @Test
    void aFailoverContinuesTheSequenceWithOneDiscontinuity() {
        SequenceMapper m = new SequenceMapper();
        m.map(window("primary", 1000, 3, 6), "primary");
        String out = m.map(window("backup", 7, 3, 4), "backup");
        assertEquals(List.of("1003 D http://backup/seg7.ts", "1004 http://backup/seg8.ts", "1005 http://backup/seg9.ts"),
                segments(out));
        assertEquals(6, tag(out, "EXT-X-TARGETDURATION"), "target duration never decreases");
        // The backup slides on; its own numbering maps onto ours, the discontinuity stays with its segment.
        String next = m.map(window("backup", 8, 3, 4), "backup");
        assertEquals(List.of("1004 http://backup/seg8.ts", "1005 http://backup/seg9.ts", "1006 http://backup/seg10.ts"),
                segments(next));
        assertEquals(1, tag(next, "EXT-X-DISCONTINUITY-SEQUENCE"), "the discontinuity left the window");
    }

    @Test
    void aSameSourceGoingBackwardsIsTreatedAsANewSource() {
        SequenceMapper m = new SequenceMapper();
        m.map(window("a", 50, 3, 2), "a");
        String out = m.map(window("a", 10, 3, 2), "a");
        assertEquals(53, tag(out, "EXT-X-MEDIA-SEQUENCE"));
        assertTrue(segments(out).get(0).contains(" D "));
    }

    @Test
    void mastersAndCrlfAreKept() {
        SequenceMapper m = new SequenceMapper();
        String master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n";
        assertEquals(master, m.map(master, "a"));
        String crlf = window("a", 5, 2, 2).replace("\n", "\r\n");
        assertEquals(crlf, m.map(crlf, "a"));
    }
}
