package io.sluice.ts;

/** The PES header at the start of a payload unit: its presentation time, and whether it begins a keyframe. */
public final class Pes {
    /** No PTS in this packet. */
    public static final long NO_PTS = -1;
    /** 2^33: PTS values wrap at 33 bits. */
    public static final long PTS_WRAP = 1L << 33;

    private Pes() {
    }

    /** The PTS (90 kHz) of the PES that starts in this packet, or {@link #NO_PTS}. */
    public static long pts(byte[] b, int off) {
        int p = headerAt(b, off);
        if (p < 0 || (b[p + 7] & 0x80) == 0 || p + 14 > off + TsPacket.SIZE) {
            return NO_PTS;
        }
        return ((b[p + 9] & 0x0EL) << 29) | ((b[p + 10] & 0xFFL) << 22) | ((b[p + 11] & 0xFEL) << 14)
                | ((b[p + 12] & 0xFFL) << 7) | ((b[p + 13] & 0xFEL) >> 1);
    }

    /**
     * The whole PES's size in bytes (its header's PES_packet_length plus the 6 bytes before it) when the unit
     * starting in this packet declares one, else -1: video usually leaves it 0 ("until the next unit").
     */
    public static int unitLength(byte[] b, int off) {
        int p = headerAt(b, off);
        if (p < 0) {
            return -1;
        }
        int length = ((b[p + 4] & 0xFF) << 8) | (b[p + 5] & 0xFF);
        return length == 0 ? -1 : 6 + length;
    }

    /** {@code a - b} on the 33-bit PTS circle: negative when {@code a} is earlier. */
    public static long ptsDiff(long a, long b) {
        long d = (a - b) & (PTS_WRAP - 1);
        return d >= PTS_WRAP / 2 ? d - PTS_WRAP : d;
    }

    /** Where the PES header starts in a payload-unit-start packet, or -1. */
    private static int headerAt(byte[] b, int off) {
        if (!TsPacket.payloadUnitStart(b, off)) {
            return -1;
        }
        int p = TsPacket.payloadOffset(b, off);
        if (p < 0 || p + 9 > off + TsPacket.SIZE || b[p] != 0 || b[p + 1] != 0 || b[p + 2] != 1) {
            return -1;
        }
        return p;
    }

    /**
     * True when a video packet starts a random access point: the multiplexer's random_access_indicator, or else
     * (muxers that leave it out) an IDR/parameter set (H.264), an IRAP/VPS (HEVC) or a sequence header (MPEG-2)
     * in the elementary data of the packet that starts the PES.
     */
    public static boolean startsKeyframe(byte[] b, int off, int streamType) {
        if (TsPacket.randomAccess(b, off) && TsPacket.payloadUnitStart(b, off)) {
            return true;
        }
        int p = headerAt(b, off);
        if (p < 0) {
            return false;
        }
        int end = off + TsPacket.SIZE;
        int i = p + 9 + (b[p + 8] & 0xFF);
        for (; i + 3 < end; i++) {
            if (b[i] != 0 || b[i + 1] != 0 || b[i + 2] != 1) {
                continue;
            }
            int code = b[i + 3] & 0xFF;
            switch (streamType) {
                case 0x1B, 0x20 -> {
                    int nal = code & 0x1F;
                    if (nal == 5 || nal == 7) {
                        return true;
                    }
                }
                case 0x24 -> {
                    int nal = (code >> 1) & 0x3F;
                    if ((nal >= 16 && nal <= 21) || nal == 32 || nal == 33) {
                        return true;
                    }
                }
                case 0x01, 0x02 -> {
                    if (code == 0xB3) {
                        return true;
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        return false;
    }
}
