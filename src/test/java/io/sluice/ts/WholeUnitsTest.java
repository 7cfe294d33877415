package io.sluice.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.SpliceSources;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Players get whole payload units only: what a source left unfinished when it changed is never sent. */
class WholeUnitsTest {
    private static final long WAIT = 5_000_000_000L;
    private static final int VIDEO = 0x100;
    private static final int AUDIO = 0x101;

    private static int seconds(byte[] ts, double s) {
        return (int) (s * SpliceSources.realTimeRate(ts)) / TsPacket.SIZE * TsPacket.SIZE;
    }

    @Test
    void aSourceCutMidPictureReachesPlayersUpToItsLastClosedGroupOnly() {
        byte[] a = SpliceSources.primary();
        byte[] b = SpliceSources.backup();
        int droppedSomewhere = 0;
        for (double cut : List.of(5.0, 5.3, 5.55, 6.0, 6.2, 6.45)) {
            Splice s = new Splice(WAIT);
            s.feed(new Object(), a, 0, seconds(a, cut));
            int at = s.feed(new Object(), b, seconds(b, 2.5), seconds(b, 3));
            byte[] old = Arrays.copyOf(s.bytes(), at);

            byte[] sentVideo = TsSplicerTest.only(old, 0, old.length, VIDEO);
            byte[] cameVideo = TsSplicerTest.only(a, 0, seconds(a, cut), VIDEO);
            assertArrayEquals(Arrays.copyOf(cameVideo, sentVideo.length), sentVideo, "cut at " + cut);
            int next = sentVideo.length;
            assertTrue(next < cameVideo.length, "the unfinished picture at " + cut + " is not sent");
            assertTrue(TsPacket.payloadUnitStart(cameVideo, next), "video ends where a unit starts (cut " + cut + ")");
            long pts = Pes.pts(cameVideo, next);
            for (int off = 0; off < next; off += TsPacket.SIZE) {
                long earlier = Pes.pts(cameVideo, off);
                assertTrue(earlier == Pes.NO_PTS || Pes.ptsDiff(pts, earlier) > 0,
                        "every picture shown before the next one sent was sent (cut " + cut + ")");
            }
            droppedSomewhere += cameVideo.length - next;

            byte[] sentAudio = TsSplicerTest.only(old, 0, old.length, AUDIO);
            byte[] cameAudio = TsSplicerTest.only(a, 0, seconds(a, cut), AUDIO);
            assertArrayEquals(Arrays.copyOf(cameAudio, sentAudio.length), sentAudio, "cut at " + cut);
            assertTrue(sentAudio.length == cameAudio.length || TsPacket.payloadUnitStart(cameAudio, sentAudio.length),
                    "audio ends with a whole unit (cut " + cut + ")");
        }
        assertTrue(droppedSomewhere > 0);
    }

    @Test
    void audioGoesOutAsSoonAsItsUnitHasItsDeclaredLength() {
        byte[] a = SpliceSources.primary();
        int end = -1;
        for (int off = seconds(a, 5); end < 0; off += TsPacket.SIZE) {
            if (TsPacket.pid(a, off) == AUDIO && TsPacket.payloadUnitStart(a, off)) {
                end = off; // the previous audio unit is complete by its length before this packet
            }
        }
        Splice s = new Splice(WAIT);
        s.feed(new Object(), a, 0, end);
        byte[] out = s.bytes();
        assertArrayEquals(TsSplicerTest.only(a, 0, end, AUDIO), TsSplicerTest.only(out, 0, out.length, AUDIO));
    }

    @Test
    void aSourcesOwnJumpBackInTimeDoesNotHoldItsUnitsBack() {
        byte[] a = SpliceSources.primary();
        Splice s = new Splice(WAIT);
        Object feed = new Object();
        s.feed(feed, a, 0, seconds(a, 12));
        int videoBefore = TsSplicerTest.only(s.bytes(), 0, s.bytes().length, VIDEO).length;
        int audioBefore = TsSplicerTest.only(s.bytes(), 0, s.bytes().length, AUDIO).length;
        s.feed(feed, a, seconds(a, 2), seconds(a, 4.5)); // the same feed, so no splice: its clock 10 s back
        byte[] out = s.bytes();
        int video = TsSplicerTest.only(out, 0, out.length, VIDEO).length - videoBefore;
        int audio = TsSplicerTest.only(out, 0, out.length, AUDIO).length - audioBefore;
        // What came after the jump goes out but for the last group (a picture or a B-group, an audio unit).
        assertTrue(video >= TsSplicerTest.only(a, seconds(a, 2), seconds(a, 6.5), VIDEO).length - 60 * TsPacket.SIZE,
                "video after the jump: " + video + " bytes");
        assertTrue(audio >= TsSplicerTest.only(a, seconds(a, 2), seconds(a, 6.5), AUDIO).length - 20 * TsPacket.SIZE,
                "audio after the jump: " + audio + " bytes");
    }

    @Test
    void aUnitLargerThanTheBoundGoesOutAsItComes() {
        Splice s = new Splice(WAIT);
        Object feed = new Object();
        byte[] tables = tables();
        s.feed(feed, tables, 0, tables.length);
        byte[] picture = picture(HeldUnits.MAX_PACKETS + 500);
        int within = (HeldUnits.MAX_PACKETS - 10) * TsPacket.SIZE;
        s.feed(feed, picture, 0, within);
        assertEquals(0, TsSplicerTest.only(s.bytes(), 0, s.bytes().length, VIDEO).length, "held while within the bound");
        assertEquals(within, s.splicer.heldBytes());
        s.feed(feed, picture, within, picture.length - within);
        assertArrayEquals(picture, TsSplicerTest.only(s.bytes(), 0, s.bytes().length, VIDEO), "past the bound: all of it");
        assertEquals(0, s.splicer.heldBytes());
    }

    /** A PAT and a PMT naming one H.264 stream on 0x100. */
    private static byte[] tables() {
        byte[] pat = Sections.packets(new Pat(1, 0, 1, 0x1000).section(), TsPacket.PAT_PID);
        byte[] pmt = Sections.packets(new Pmt(1, 0, VIDEO, new byte[0],
                List.of(new Pmt.Es(0x1B, VIDEO, new byte[0]))).section(), 0x1000);
        byte[] both = Arrays.copyOf(pat, pat.length + pmt.length);
        System.arraycopy(pmt, 0, both, pat.length, pmt.length);
        return both;
    }

    /** One video PES of unbounded length over {@code packets} packets. */
    private static byte[] picture(int packets) {
        byte[] ts = new byte[packets * TsPacket.SIZE];
        for (int k = 0; k < packets; k++) {
            int off = k * TsPacket.SIZE;
            ts[off] = TsPacket.SYNC;
            ts[off + 1] = (byte) ((k == 0 ? 0x40 : 0) | (VIDEO >> 8));
            ts[off + 2] = (byte) VIDEO;
            ts[off + 3] = (byte) (0x10 | (k & 0x0F));
            Arrays.fill(ts, off + 4, off + TsPacket.SIZE, (byte) 0x55);
        }
        byte[] pes = {0, 0, 1, (byte) 0xE0, 0, 0, (byte) 0x80, (byte) 0x80, 5, 0x21, 0, 1, 0, 1};
        System.arraycopy(pes, 0, ts, 4, pes.length);
        return ts;
    }
}
