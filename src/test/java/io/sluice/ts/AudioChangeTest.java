package io.sluice.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.SpliceSources;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A new source with another audio codec than players opened: told, held, and let go as it is on request. */
class AudioChangeTest {
    private static final long WAIT = 5_000_000_000L;
    private final Object primaryFeed = new Object();
    private final Object backupFeed = new Object();

    private static int seconds(byte[] ts, double s) {
        return (int) (s * SpliceSources.realTimeRate(ts)) / TsPacket.SIZE * TsPacket.SIZE;
    }

    private static Pmt.Es es(int type, int pid, int... descriptor) {
        byte[] d = new byte[descriptor.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) descriptor[i];
        }
        return new Pmt.Es(type, pid, d);
    }

    private static Pmt pmt(Pmt.Es... streams) {
        return new Pmt(1, 0, 0x100, new byte[0], List.of(streams));
    }

    /** Packets from {@code from} on that are not stuffing (null packets pass as they come, whatever the splice). */
    private static int meaningfulPackets(byte[] ts, int from) {
        int n = 0;
        for (int off = from; off < ts.length; off += TsPacket.SIZE) {
            n += TsPacket.pid(ts, off) == TsPacket.NULL_PID ? 0 : 1;
        }
        return n;
    }

    @Test
    void eachAudioStreamIsComparedWithWhatPlayersOpenedOnItsPid() {
        List<Pmt.Es> players = List.of(es(0x0F, 0x101), es(0x81, 0x102));
        Pmt backup = pmt(es(0x1B, 0x300), es(0x03, 0x301), es(0x06, 0x302, 0x6A, 0x00));
        AudioChange change = AudioChange.of(backup, n -> n < players.size() ? players.get(n) : null);
        assertNotNull(change);
        // MP2 where players opened AAC; DVB AC-3 where they opened ATSC AC-3 is the same codec.
        assertEquals(Arrays.asList("aac", null), change.encoders());
    }

    @Test
    void sameCodecsUnknownCodecsAndNewPidsNeedNoChange() {
        Pmt.Es aac = es(0x0F, 0x101);
        assertNull(AudioChange.of(pmt(es(0x1B, 0x300), es(0x0F, 0x301)), n -> aac));
        assertNull(AudioChange.of(pmt(es(0x03, 0x301)), n -> es(0x04, 0x101)), "MPEG-1 and MPEG-2 audio: one decoder");
        assertNull(AudioChange.of(pmt(es(0x06, 0x301)), n -> aac), "private data without a descriptor: not told apart");
        assertNull(AudioChange.of(pmt(es(0x0F, 0x301)), n -> es(0x11, 0x101)), "LATM: no encoder here");
        assertNull(AudioChange.of(pmt(es(0x03, 0x301)), n -> null), "a PID players have no decoder for yet");
    }

    @Test
    void aBackupWithAnotherAudioCodecIsHeldUntilItsOwnerDecides() {
        byte[] a = SpliceSources.primary();
        byte[] b = SpliceSources.backup();
        Splice s = new Splice(WAIT, true);
        s.feed(primaryFeed, a, 0, seconds(a, 6.3));
        assertNull(s.splicer.audioChange(), "the first source is what players open");
        int before = s.out.size();
        s.feed(backupFeed, b, seconds(b, 2.5), seconds(b, 2));
        assertEquals(0, meaningfulPackets(s.bytes(), before), "nothing of the held source goes out");
        assertEquals(Arrays.asList("aac"), s.splicer.audioChange().encoders(), "MP2 where players opened AAC");
        s.nowNanos += 2 * WAIT;
        s.feed(backupFeed, b, seconds(b, 4.5), seconds(b, 1));
        assertEquals(0, meaningfulPackets(s.bytes(), before), "held past the keyframe wait too: never passed raw");

        s.splicer.passAudioAsIs(s.nowNanos);
        assertNull(s.splicer.audioChange());
        int at = s.feed(backupFeed, b, seconds(b, 5.5), seconds(b, 4));
        byte[] out = s.bytes();
        while (TsPacket.pid(out, at) == TsPacket.NULL_PID) {
            at += TsPacket.SIZE;
        }
        assertEquals(TsPacket.PAT_PID, TsPacket.pid(out, at), "then as at any splice: the PAT first");
        assertEquals(0x1000, TsPacket.pid(out, at + TsPacket.SIZE), "the PMT");
        assertEquals(1, s.splicer.playerPmt().version(), "announcing MP2 in a new version");
        assertTrue(out.length - at > seconds(b, 3), "and the backup's packets");
        TsSplicerTest.assertContinuous(out);
    }

    @Test
    void aHeldSourceFollowedByItsConformedFeedIsOneSplice() {
        byte[] a = SpliceSources.primary();
        byte[] b = SpliceSources.backup();
        Splice s = new Splice(WAIT, true);
        s.feed(primaryFeed, a, 0, seconds(a, 6.3));
        s.feed(backupFeed, b, seconds(b, 2.5), seconds(b, 1));
        assertNotNull(s.splicer.audioChange());
        Object conformed = new Object(); // what FFmpeg gives: AAC again, here the primary's own bytes stand for it
        s.feed(conformed, a, seconds(a, 9), seconds(a, 3));
        assertNull(s.splicer.audioChange(), "the conformed feed's audio is what players opened");
        assertEquals(1, s.splicer.splices());
        assertEquals(0, s.splicer.playerPmt().version(), "nothing changed for players: the PMT keeps its version");
    }

    @Test
    void theTargetIsWhatPlayersFirstOpenedNotTheLatestPmt() {
        byte[] a = SpliceSources.primary();
        byte[] b = SpliceSources.backup();
        Splice s = new Splice(WAIT, true);
        s.feed(backupFeed, b, 0, seconds(b, 5));
        s.feed(primaryFeed, a, seconds(a, 2.5), seconds(a, 1));
        assertEquals(Arrays.asList("mp2"), s.splicer.audioChange().encoders(), "AAC where players opened MP2");
        s.splicer.passAudioAsIs(s.nowNanos);
        s.feed(primaryFeed, a, seconds(a, 3.5), seconds(a, 3));
        Object again = new Object();
        s.feed(again, b, seconds(b, 10), seconds(b, 2));
        assertNull(s.splicer.audioChange(), "back on MP2: what players opened, whatever the last PMT said");
    }

    @Test
    void withoutHoldingAChangedCodecGoesAsItIs() {
        byte[] a = SpliceSources.primary();
        byte[] b = SpliceSources.backup();
        Splice s = new Splice(WAIT);
        s.feed(primaryFeed, a, 0, seconds(a, 6.3));
        int before = s.out.size();
        s.feed(backupFeed, b, seconds(b, 2.5), seconds(b, 2));
        assertNull(s.splicer.audioChange());
        assertTrue(s.out.size() > before);
    }
}
