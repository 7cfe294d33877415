package io.sluice.ts;

/**
 * Collects one PSI section of one PID from its packets (a PMT with many descriptors spans several). One buffer
 * per assembler, reused: {@link #offer} returns true when a whole section with a valid CRC is in
 * {@link #section()}, valid until the next call.
 */
public final class SectionAssembler {
    /** A PAT or PMT section is at most 1024 bytes long (section_length ≤ 1021 plus its 3-byte head). */
    public static final int MAX_SECTION = 1024;

    private final byte[] buf = new byte[MAX_SECTION];
    private int length;
    private int expected = -1;
    /** True between a section's start and its end: only then do packets without a start belong to it. */
    private boolean collecting;

    public void reset() {
        length = 0;
        expected = -1;
        collecting = false;
    }

    /** Feeds one packet of this assembler's PID. Only the first section starting in a packet is kept. */
    public boolean offer(byte[] b, int off) {
        int p = TsPacket.payloadOffset(b, off);
        if (p < 0) {
            return false;
        }
        int end = off + TsPacket.SIZE;
        if (TsPacket.payloadUnitStart(b, off)) {
            int pointer = b[p] & 0xFF;
            p += 1 + pointer;
            reset();
            if (p >= end) {
                return false;
            }
            collecting = true;
        } else if (!collecting) {
            return false; // the middle of a section whose start we never saw, or after its end
        }
        int n = end - p;
        if (expected < 0) {
            // Need the 3-byte head for the length; it may itself be split (rare, handled by accumulating).
            int take = Math.min(n, MAX_SECTION - length);
            System.arraycopy(b, p, buf, length, take);
            length += take;
            if (length < 3) {
                return false;
            }
            if ((buf[0] & 0xFF) == 0xFF) {
                reset(); // stuffing, no section
                return false;
            }
            expected = 3 + (((buf[1] & 0x0F) << 8) | (buf[2] & 0xFF));
            if (expected > MAX_SECTION || expected < 3 + 5 + 4) {
                reset();
                return false;
            }
        } else {
            int take = Math.min(n, expected - length);
            System.arraycopy(b, p, buf, length, take);
            length += take;
        }
        if (length < expected) {
            return false;
        }
        length = expected;
        collecting = false;
        return Crc32Mpeg.valid(buf, 0, length);
    }

    public byte[] section() {
        return buf;
    }

    public int sectionLength() {
        return length;
    }

    /** The CRC of the last complete section: a cheap test of whether a table changed. */
    public int crc() {
        return ((buf[length - 4] & 0xFF) << 24) | ((buf[length - 3] & 0xFF) << 16)
                | ((buf[length - 2] & 0xFF) << 8) | (buf[length - 1] & 0xFF);
    }
}
