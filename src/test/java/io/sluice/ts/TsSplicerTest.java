package io.sluice.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.LiveTs;
import io.sluice.testing.SpliceSources;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The splice on packets: tables first, players' PIDs, flags, counters, keyframes, and what it costs. */
class TsSplicerTest {
    private static final long WAIT = 5_000_000_000L;
    private final Object primaryFeed = new Object();
    private final Object backupFeed = new Object();

    private static int seconds(byte[] ts, double s) {
        int rate = SpliceSources.realTimeRate(ts);
        return (int) (s * rate) / TsPacket.SIZE * TsPacket.SIZE;
    }

    @Test
    void packetsWithoutTablesPassUnchangedAcrossAChangeOfSource() {
        Splice s = new Splice(WAIT);
        byte[] a = LiveTs.packets(0, 500);
        byte[] b = LiveTs.packets(1000, 500);
        s.feed(primaryFeed, a, 0, a.length);
        s.feed(backupFeed, b, 0, b.length);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(a);
        both.writeBytes(b);
        assertArrayEquals(both.toByteArray(), s.bytes());
        assertFalse(s.splicer.rewriting());
    }

    @Test
    void theFirstSourceKeepsItsPidsCountersAndElementaryPackets() {
        byte[] a = SpliceSources.primary();
        Splice s = new Splice(WAIT);
        s.feed(primaryFeed, a, 0, seconds(a, 10));
        byte[] out = s.bytes();
        // Each PID's packets as they came, but for the units still held back (see WholeUnitsTest).
        int held = 0;
        for (int pid : new int[] {0x100, 0x101}) {
            byte[] in = only(a, 0, seconds(a, 10), pid);
            byte[] got = only(out, 0, out.length, pid);
            assertArrayEquals(java.util.Arrays.copyOf(in, got.length), got, "PID " + pid);
            held += in.length - got.length;
        }
        assertEquals(s.splicer.heldBytes(), held);
        assertEquals(0x1000, pmtPid(out));
        assertEquals(List.of(0x100, 0x101), s.splicer.playerPmt().streams().stream().map(Pmt.Es::pid).toList());
        assertContinuous(out);
    }

    @Test
    void aSpliceGivesTablesFirstThenTheNewSourceOnPlayersPids() {
        byte[] a = SpliceSources.primary();
        byte[] b = SpliceSources.backup();
        Splice s = new Splice(WAIT);
        s.feed(primaryFeed, a, 0, seconds(a, 6.3));
        int at = s.feed(backupFeed, b, seconds(b, 2.5), seconds(b, 6));
        byte[] out = s.bytes();

        assertEquals(TsPacket.PAT_PID, TsPacket.pid(out, at), "the new source starts with the PAT");
        assertEquals(0x1000, TsPacket.pid(out, at + TsPacket.SIZE), "then the PMT, on the PMT PID players know");
        Pmt pmt = s.splicer.playerPmt();
        assertEquals(1, pmt.programNumber());
        assertEquals(1, pmt.version(), "stream types changed (AAC to MP2): a new version");
        assertEquals(List.of(0x100, 0x101), pmt.streams().stream().map(Pmt.Es::pid).toList());
        assertEquals(EsKind.AUDIO, pmt.streams().get(1).kind());
        assertNotEquals(0x0F, pmt.streams().get(1).streamType(), "the backup's audio is MP2");
        assertEquals(0x100, pmt.pcrPid());

        Map<Integer, Integer> firstAfter = new HashMap<>();
        for (int off = at; off < out.length; off += TsPacket.SIZE) {
            int pid = TsPacket.pid(out, off);
            assertFalse(pid == 0x300 || pid == 0x301 || pid == 0x1200, "nothing on the backup's own PIDs");
            firstAfter.putIfAbsent(pid, off);
        }
        int video = firstAfter.get(0x100);
        assertTrue(TsPacket.discontinuity(out, video), "video's first packet flags the discontinuity");
        int firstPicture = video;
        if (!TsPacket.hasPayload(out, video)) {
            firstPicture = next(out, video, 0x100);
        }
        assertTrue(Pes.startsKeyframe(out, firstPicture, 0x1B), "video resumes at a keyframe");
        int audio = firstAfter.get(0x101);
        assertTrue(TsPacket.discontinuity(out, audio), "audio's first packet flags the discontinuity");
        int firstSound = TsPacket.hasPayload(out, audio) ? audio : next(out, audio, 0x101);
        assertTrue(TsPacket.payloadUnitStart(out, firstSound), "audio resumes at a frame start");
        long lead = Pes.ptsDiff(Pes.pts(out, firstPicture), Pes.pts(out, firstSound));
        assertTrue(lead <= 3600, "audio starts at most a frame before the picture: " + lead / 90 + " ms");
        assertContinuous(out);
        assertEquals(1, s.splicer.splices());
    }

    @Test
    void identicalSourcesKeepThePmtVersion() {
        byte[] a = SpliceSources.primary();
        Splice s = new Splice(WAIT);
        s.feed(primaryFeed, a, 0, seconds(a, 5));
        int version = s.splicer.playerPmt().version();
        s.feed(backupFeed, a, seconds(a, 1.3), seconds(a, 5));
        assertEquals(version, s.splicer.playerPmt().version());
        assertContinuous(s.bytes());
    }

    @Test
    void everyKeyframeIsAPlaceToJoinWithTablesFirst() {
        byte[] a = SpliceSources.primary();
        Splice s = new Splice(WAIT);
        s.feed(primaryFeed, a, 0, seconds(a, 10.5));
        byte[] out = s.bytes();
        assertTrue(s.joins.size() >= 9, "joins: " + s.joins.size());
        for (int j : s.joins) {
            assertEquals(TsPacket.PAT_PID, TsPacket.pid(out, j));
            assertEquals(0x1000, TsPacket.pid(out, j + TsPacket.SIZE));
            assertTrue(Pes.startsKeyframe(out, j + 2 * TsPacket.SIZE, 0x1B));
        }
    }

    @Test
    void withoutAKeyframeInTheWaitVideoResumesAtTheNextPicture() {
        byte[] a = SpliceSources.primary();
        byte[] b = SpliceSources.backup();
        Splice s = new Splice(1_000_000_000L);
        s.feed(primaryFeed, a, 0, seconds(a, 3));
        int start = seconds(b, 2.2); // 0.8 s before the backup's next keyframe
        int tables = s.feed(backupFeed, b, start, 200 * TsPacket.SIZE);
        assertEquals(1, s.splicer.playerPmt().version(), "the backup's tables are out");
        for (int off = tables; off < s.bytes().length; off += TsPacket.SIZE) {
            assertNotEquals(0x100, TsPacket.pid(s.bytes(), off), "no video while waiting for a keyframe");
        }
        s.nowNanos += 2_000_000_000L;
        int at = s.feed(backupFeed, b, start + 200 * TsPacket.SIZE, seconds(b, 1));
        byte[] out = s.bytes();
        int video = next(out, at - TsPacket.SIZE, 0x100);
        int picture = TsPacket.hasPayload(out, video) ? video : next(out, video, 0x100);
        assertTrue(TsPacket.payloadUnitStart(out, picture));
        assertFalse(Pes.startsKeyframe(out, picture, 0x1B));
        assertTrue(picture - at < 40 * TsPacket.SIZE, "after the wait, the next picture: " + (picture - at));
    }

    @Test
    void aSourceWithoutTablesIsPassedAsItComesAfterTheWait() {
        byte[] a = SpliceSources.primary();
        Splice s = new Splice(1000);
        s.feed(primaryFeed, a, 0, seconds(a, 3));
        byte[] raw = LiveTs.packets(0, 100);
        s.feed(backupFeed, raw, 0, 50 * TsPacket.SIZE);
        s.nowNanos += 2000;
        int at = s.feed(backupFeed, raw, 50 * TsPacket.SIZE, 50 * TsPacket.SIZE);
        byte[] out = s.bytes();
        assertEquals(51 * TsPacket.SIZE, out.length - at, "all of it, after a packet flagging the discontinuity");
        assertTrue(TsPacket.discontinuity(out, at) && !TsPacket.hasPayload(out, at));
        assertEquals(0x100, TsPacket.pid(out, at));
        assertContinuous(out);
    }

    @Test
    void steadyStateAllocatesNothingPerPacket() {
        byte[] a = SpliceSources.primary();
        Splice s = new Splice(WAIT);
        byte[] buf = new byte[Splice.CHUNK * TsSplicer.MAX_OUT_PER_PACKET];
        s.feed(primaryFeed, a, 0, seconds(a, 2));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        int from = seconds(a, 2);
        int to = seconds(a, 38);
        long before = threads.getThreadAllocatedBytes(tid);
        for (int off = from; off + Splice.CHUNK * TsPacket.SIZE <= to; off += Splice.CHUNK * TsPacket.SIZE) {
            s.splicer.process(primaryFeed, a, off, Splice.CHUNK, buf, 0, s.nowNanos);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        int packets = (to - from) / TsPacket.SIZE;
        assertTrue(allocated < 4096, allocated + " bytes allocated for " + packets + " packets");
    }

    static int next(byte[] ts, int after, int pid) {
        for (int off = after + TsPacket.SIZE; off < ts.length; off += TsPacket.SIZE) {
            if (TsPacket.pid(ts, off) == pid) {
                return off;
            }
        }
        throw new AssertionError("no packet on " + pid);
    }

    private static int pmtPid(byte[] ts) {
        SectionAssembler a = new SectionAssembler();
        TsTablesTest.firstSection(ts, 0, a);
        return Pat.parse(a.section(), a.sectionLength()).pmtPid();
    }

    static byte[] only(byte[] ts, int from, int to, int... pids) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int off = from; off + TsPacket.SIZE <= to; off += TsPacket.SIZE) {
            int pid = TsPacket.pid(ts, off);
            for (int p : pids) {
                if (p == pid) {
                    b.write(ts, off, TsPacket.SIZE);
                }
            }
        }
        return b.toByteArray();
    }

    /** Every PID's counters run on as a player checks them: +1 per packet with payload, equal without. */
    static void assertContinuous(byte[] ts) {
        Map<Integer, Integer> last = new HashMap<>();
        for (int off = 0; off + TsPacket.SIZE <= ts.length; off += TsPacket.SIZE) {
            int pid = TsPacket.pid(ts, off);
            if (pid == TsPacket.NULL_PID) {
                continue;
            }
            int cc = TsPacket.continuityCounter(ts, off);
            Integer prev = last.put(pid, cc);
            if (prev != null) {
                int expected = TsPacket.hasPayload(ts, off) ? (prev + 1) & 0x0F : prev;
                assertEquals(expected, cc, "counter of PID " + pid + " at packet " + off / TsPacket.SIZE);
            }
        }
    }
}
