package io.sluice.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.SpliceSources;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PAT/PMT parsing and building, their CRC, and sections across packets. */
class TsTablesTest {
    /** The PAT ffmpeg writes for programme 1 on PMT PID 0x1000, CRC included (a well-known section). */
    private static final byte[] FFMPEG_PAT = bytes(0x00, 0xB0, 0x0D, 0x00, 0x01, 0xC1, 0x00, 0x00,
            0x00, 0x01, 0xF0, 0x00, 0x2A, 0xB1, 0x04, 0xB2);

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void crcOfAKnownPatChecksAndAFlippedBitDoesNot() {
        assertEquals(0x2AB104B2, Crc32Mpeg.of(FFMPEG_PAT, 0, 12));
        assertTrue(Crc32Mpeg.valid(FFMPEG_PAT, 0, FFMPEG_PAT.length));
        byte[] bad = FFMPEG_PAT.clone();
        bad[9] ^= 0x02;
        assertFalse(Crc32Mpeg.valid(bad, 0, bad.length));
    }

    @Test
    void patParsesAndIsRebuiltByteForByte() {
        Pat pat = Pat.parse(FFMPEG_PAT, FFMPEG_PAT.length);
        assertEquals(new Pat(1, 0, 1, 0x1000), pat);
        assertArrayEquals(FFMPEG_PAT, pat.section());
    }

    @Test
    void patSkipsTheNetworkEntry() {
        byte[] s = bytes(0x00, 0xB0, 0x11, 0x00, 0x07, 0xC3, 0x00, 0x00,
                0x00, 0x00, 0xE0, 0x10, 0x00, 0x05, 0xE1, 0x00, 0, 0, 0, 0);
        Sections.writeCrc(s);
        assertEquals(new Pat(7, 1, 5, 0x100), Pat.parse(s, s.length));
    }

    @Test
    void pmtOfARealFileParsesAndIsRebuiltByteForByte() {
        byte[] ts = SpliceSources.backup();
        SectionAssembler a = new SectionAssembler();
        int off = firstSection(ts, 0x1200, a);
        Pmt pmt = Pmt.parse(a.section(), a.sectionLength());
        assertNotNull(pmt, "PMT at " + off);
        assertEquals(1, pmt.programNumber());
        assertEquals(0x300, pmt.pcrPid());
        assertEquals(List.of(0x300, 0x301), pmt.streams().stream().map(Pmt.Es::pid).toList());
        assertEquals(0x1B, pmt.streams().get(0).streamType());
        assertEquals(EsKind.VIDEO, pmt.streams().get(0).kind());
        assertEquals(EsKind.AUDIO, pmt.streams().get(1).kind());
        assertArrayEquals(Arrays.copyOf(a.section(), a.sectionLength()), pmt.section());
    }

    @Test
    void firstPidOfAKindIsTheFirstListedAndMinusOneWhenThereIsNone() {
        Pmt pmt = new Pmt(1, 0, 0x101, new byte[0], List.of(new Pmt.Es(0x0F, 0x101, new byte[0]),
                new Pmt.Es(0x1B, 0x102, new byte[0]), new Pmt.Es(0x03, 0x103, new byte[0]),
                new Pmt.Es(0x24, 0x104, new byte[0])));
        assertEquals(0x102, pmt.firstPid(EsKind.VIDEO));
        assertEquals(0x101, pmt.firstPid(EsKind.AUDIO));
        assertEquals(-1, pmt.firstPid(EsKind.OTHER));
    }

    @Test
    void aPmtLongerThanOnePacketIsCarriedAndReassembled() {
        byte[] longDescriptors = new byte[2 + 250];
        longDescriptors[0] = 0x0A; // ISO 639 language, long enough to need a second packet
        longDescriptors[1] = (byte) 250;
        Pmt pmt = new Pmt(3, 4, 0x100, new byte[0], List.of(new Pmt.Es(0x1B, 0x100, new byte[0]),
                new Pmt.Es(0x0F, 0x101, longDescriptors)));
        byte[] packets = Sections.packets(pmt.section(), 0x1000);
        assertEquals(2 * TsPacket.SIZE, packets.length);
        SectionAssembler a = new SectionAssembler();
        assertFalse(a.offer(packets, 0));
        assertTrue(a.offer(packets, TsPacket.SIZE));
        assertEquals(pmt, Pmt.parse(a.section(), a.sectionLength()));
        assertEquals(0x1000, TsPacket.pid(packets, TsPacket.SIZE));
    }

    @Test
    void aDamagedSectionIsNotTaken() {
        byte[] packets = Sections.packets(FFMPEG_PAT, 0);
        packets[8] ^= 0x01;
        SectionAssembler a = new SectionAssembler();
        assertFalse(a.offer(packets, 0));
        assertNull(Pat.parse(new byte[3], 3));
    }

    @Test
    void versionOnlyDifferenceIsSameContent() {
        Pmt a = new Pmt(1, 0, 0x100, new byte[0], List.of(new Pmt.Es(0x1B, 0x100, new byte[0])));
        assertTrue(a.sameContent(a.withVersion(5)));
        assertFalse(a.sameContent(new Pmt(1, 0, 0x100, new byte[0], List.of(new Pmt.Es(0x24, 0x100, new byte[0])))));
    }

    @Test
    void kindsOfStreamTypesAndDvbDescriptors() {
        assertEquals(EsKind.VIDEO, EsKind.of(0x24, new byte[0]));
        assertEquals(EsKind.AUDIO, EsKind.of(0x03, new byte[0]));
        assertEquals(EsKind.AUDIO, EsKind.of(0x06, bytes(0x6A, 0x01, 0x00))); // AC-3 descriptor
        assertEquals(EsKind.OTHER, EsKind.of(0x06, bytes(0x59, 0x00))); // subtitles
        assertEquals(EsKind.AUDIO, EsKind.of(0x06, bytes(0x05, 0x04, 'A', 'C', '-', '3')));
    }

    @Test
    void keyframesAndTimesOfARealFile() {
        byte[] ts = SpliceSources.primary();
        int keyframes = 0;
        long firstPts = -1;
        for (int off = 0; off + TsPacket.SIZE <= ts.length; off += TsPacket.SIZE) {
            if (TsPacket.pid(ts, off) == 0x100 && Pes.startsKeyframe(ts, off, 0x1B)) {
                keyframes++;
                if (firstPts < 0) {
                    firstPts = Pes.pts(ts, off);
                }
            }
        }
        assertEquals(SpliceSources.SECONDS, keyframes, "one keyframe a second");
        assertTrue(firstPts > 0);
        assertEquals(10, Pes.ptsDiff(5, Pes.PTS_WRAP - 5), "5 comes after the wrap");
        assertEquals(-10, Pes.ptsDiff(Pes.PTS_WRAP - 5, 5));
    }

    static int firstSection(byte[] ts, int pid, SectionAssembler a) {
        for (int off = 0; off + TsPacket.SIZE <= ts.length; off += TsPacket.SIZE) {
            if (TsPacket.pid(ts, off) == pid && a.offer(ts, off)) {
                return off;
            }
        }
        throw new AssertionError("no section on PID " + pid);
    }
}
