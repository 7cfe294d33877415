package io.sluice.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.testing.BrokenTs;
import io.sluice.testing.LiveTs;
import io.sluice.testing.SpliceSources;
import org.junit.jupiter.api.Test;

/** Verdicts on real TS broken as providers' streams break, in the time the packets would take live. */
class TsHealthTest {
    private static final long LIMIT = 3_000_000_000L;
    private static final int CHUNK = 32;

    /** Feeds {@code ts} in real time (simulated); returns the verdict and when it came (seconds into the stream). */
    private static Result feed(byte[] ts) {
        TsSplicer splicer = new TsSplicer(5_000_000_000L);
        TsHealth health = new TsHealth(LIMIT, 0);
        byte[] out = new byte[0];
        double rate = SpliceSources.realTimeRate(SpliceSources.primary());
        Object feed = new Object();
        for (int off = 0; off + CHUNK * TsPacket.SIZE <= ts.length; off += CHUNK * TsPacket.SIZE) {
            long now = (long) (off / rate * 1e9);
            if (out.length < splicer.outputRoom(CHUNK)) {
                out = new byte[splicer.outputRoom(CHUNK)];
            }
            splicer.process(feed, ts, off, CHUNK, out, 0, now);
            TsHealth.Verdict v = health.observe(ts, off, CHUNK, splicer, now);
            if (v != TsHealth.Verdict.HEALTHY) {
                return new Result(v, now / 1e9);
            }
        }
        return new Result(TsHealth.Verdict.HEALTHY, ts.length / rate);
    }

    record Result(TsHealth.Verdict verdict, double at) {
    }

    private static int at(double seconds) {
        return (int) (seconds * SpliceSources.realTimeRate(SpliceSources.primary())) / TsPacket.SIZE * TsPacket.SIZE;
    }

    @Test
    void aHealthySourceStaysHealthyForItsWholeLength() {
        assertEquals(TsHealth.Verdict.HEALTHY, feed(SpliceSources.primary()).verdict());
        assertEquals(TsHealth.Verdict.HEALTHY, feed(SpliceSources.backup()).verdict());
    }

    @Test
    void aSourceJoinedMidGopIsHealthy() {
        byte[] a = SpliceSources.primary();
        assertEquals(TsHealth.Verdict.HEALTHY, feed(java.util.Arrays.copyOfRange(a, at(2.5), a.length)).verdict());
    }

    @Test
    void onlyNullPacketsAfterTheLimit() {
        byte[] ts = concat(java.util.Arrays.copyOf(SpliceSources.primary(), at(4)), BrokenTs.nullPackets(at(10) / 188));
        Result r = feed(ts);
        assertEquals(TsHealth.Verdict.NULL_ONLY, r.verdict());
        assertEquals(7.0, r.at(), 0.2);
    }

    @Test
    void noAudioOrVideoAfterTheLimit() {
        Result r = feed(BrokenTs.withoutPids(SpliceSources.primary(), at(4), 0x100, 0x101));
        assertEquals(TsHealth.Verdict.NO_MEDIA, r.verdict());
        assertEquals(7.0, r.at(), 0.2);
    }

    @Test
    void aVanishedVideoPid() {
        Result r = feed(BrokenTs.withoutPids(SpliceSources.primary(), at(4), 0x100));
        assertEquals(TsHealth.Verdict.VIDEO_MISSING, r.verdict());
        assertEquals(7.0, r.at(), 0.2);
    }

    @Test
    void aPcrThatStopsWhileMediaFlows() {
        Result r = feed(BrokenTs.pcrFrozen(SpliceSources.primary(), at(4)));
        assertEquals(TsHealth.Verdict.PCR_STALLED, r.verdict());
        assertEquals(7.0, r.at(), 0.2);
    }

    @Test
    void aStreamWithoutTablesIsJudgedOnNullPacketsOnly() {
        assertEquals(TsHealth.Verdict.HEALTHY, feed(LiveTs.packets(0, at(10) / 188)).verdict());
    }

    @Test
    void theRelaysOwnPauseDoesNotCount() {
        TsSplicer splicer = new TsSplicer(0);
        TsHealth health = new TsHealth(LIMIT, 0);
        byte[] a = SpliceSources.primary();
        Object feed = new Object();
        splicer.process(feed, a, 0, CHUNK * 40, new byte[splicer.outputRoom(CHUNK * 40)], 0, 0);
        byte[] out = new byte[splicer.outputRoom(CHUNK)];
        health.observe(a, 0, CHUNK * 40, splicer, 0);
        // Ten seconds without any packet (the relay held the source back), then media again.
        splicer.process(feed, a, CHUNK * 40 * 188, CHUNK, out, 0, 10_000_000_000L);
        assertEquals(TsHealth.Verdict.HEALTHY, health.observe(a, CHUNK * 40 * 188, CHUNK, splicer, 10_000_000_000L));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
