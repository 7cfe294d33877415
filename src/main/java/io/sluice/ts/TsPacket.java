package io.sluice.ts;

/**
 * Fields of one 188-byte transport stream packet at {@code off} in a byte array (ISO/IEC 13818-1 2.4.3).
 * Static accessors instead of an object per packet: the relay reads thousands of packets a second per stream.
 */
public final class TsPacket {
    public static final int SIZE = 188;
    public static final byte SYNC = 0x47;
    public static final int PAT_PID = 0;
    public static final int NULL_PID = 0x1FFF;
    /** PIDs below this carry tables of the whole multiplex (NIT, SDT, EIT, TDT ...), never elementary streams. */
    public static final int FIRST_ES_PID = 0x20;

    private TsPacket() {
    }

    public static boolean isSync(byte[] b, int off) {
        return b[off] == SYNC;
    }

    public static int pid(byte[] b, int off) {
        return ((b[off + 1] & 0x1F) << 8) | (b[off + 2] & 0xFF);
    }

    public static void setPid(byte[] b, int off, int pid) {
        b[off + 1] = (byte) ((b[off + 1] & 0xE0) | ((pid >> 8) & 0x1F));
        b[off + 2] = (byte) pid;
    }

    public static boolean payloadUnitStart(byte[] b, int off) {
        return (b[off + 1] & 0x40) != 0;
    }

    public static boolean hasAdaptation(byte[] b, int off) {
        return (b[off + 3] & 0x20) != 0;
    }

    public static boolean hasPayload(byte[] b, int off) {
        return (b[off + 3] & 0x10) != 0;
    }

    public static int continuityCounter(byte[] b, int off) {
        return b[off + 3] & 0x0F;
    }

    public static void setContinuityCounter(byte[] b, int off, int cc) {
        b[off + 3] = (byte) ((b[off + 3] & 0xF0) | (cc & 0x0F));
    }

    /** The adaptation field's length byte (not counting itself), or -1 when there is none. */
    public static int adaptationLength(byte[] b, int off) {
        return hasAdaptation(b, off) ? b[off + 4] & 0xFF : -1;
    }

    /** Where the payload starts, or -1 when the packet has none or its adaptation field claims too much. */
    public static int payloadOffset(byte[] b, int off) {
        if (!hasPayload(b, off)) {
            return -1;
        }
        int start = off + 4 + (hasAdaptation(b, off) ? 1 + (b[off + 4] & 0xFF) : 0);
        return start < off + SIZE ? start : -1;
    }

    private static boolean hasFlags(byte[] b, int off) {
        return adaptationLength(b, off) >= 1;
    }

    public static boolean discontinuity(byte[] b, int off) {
        return hasFlags(b, off) && (b[off + 5] & 0x80) != 0;
    }

    public static boolean randomAccess(byte[] b, int off) {
        return hasFlags(b, off) && (b[off + 5] & 0x40) != 0;
    }

    /** Sets discontinuity_indicator in place; false when the packet has no adaptation flags byte to carry it. */
    public static boolean setDiscontinuity(byte[] b, int off) {
        if (!hasFlags(b, off)) {
            return false;
        }
        b[off + 5] |= (byte) 0x80;
        return true;
    }

    public static boolean hasPcr(byte[] b, int off) {
        return adaptationLength(b, off) >= 7 && (b[off + 5] & 0x10) != 0;
    }

    /** The PCR's 33-bit base (90 kHz); only meaningful when {@link #hasPcr}. */
    public static long pcrBase(byte[] b, int off) {
        return ((b[off + 6] & 0xFFL) << 25) | ((b[off + 7] & 0xFFL) << 17) | ((b[off + 8] & 0xFFL) << 9)
                | ((b[off + 9] & 0xFFL) << 1) | ((b[off + 10] & 0x80L) >> 7);
    }

    /**
     * Writes a packet on {@code pid} with only an adaptation field: its flags byte is {@code flags} (e.g.
     * discontinuity_indicator 0x80) and the rest is stuffing. Such a packet carries no payload, so it does not
     * advance the continuity counter: it repeats {@code cc}, the PID's last one.
     */
    public static void writeAdaptationOnly(byte[] b, int off, int pid, int cc, int flags) {
        b[off] = SYNC;
        b[off + 1] = (byte) ((pid >> 8) & 0x1F);
        b[off + 2] = (byte) pid;
        b[off + 3] = (byte) (0x20 | (cc & 0x0F));
        b[off + 4] = (byte) (SIZE - 5);
        b[off + 5] = (byte) flags;
        java.util.Arrays.fill(b, off + 6, off + SIZE, (byte) 0xFF);
    }
}
