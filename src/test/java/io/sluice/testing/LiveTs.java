package io.sluice.testing;

/**
 * Deterministic MPEG-TS packets for tests: packet {@code k} carries {@code k} in its payload and a filler that
 * depends on {@code k}, so a player's bytes can be checked packet by packet against what the upstream sent.
 */
public final class LiveTs {
    public static final int PACKET = 188;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private LiveTs() {
    }

    public static void packet(long k, byte[] dst, int off) {
        dst[off] = 0x47;
        dst[off + 1] = 0x01; // PID 0x100
        dst[off + 2] = 0x00;
        dst[off + 3] = (byte) (0x10 | (k & 0x0F)); // payload only, continuity counter
        // The index as 16 lowercase hex digits: ASCII that never contains 0x47, unlike raw binary.
        for (int i = 0; i < 16; i++) {
            dst[off + 4 + i] = HEX[(int) (k >>> (60 - 4 * i)) & 0xF];
        }
        for (int i = 20; i < PACKET; i++) {
            // Never 0x47 in the filler, so only real packet starts look like sync points.
            byte b = (byte) ((k * 31 + i) & 0x3F);
            dst[off + i] = b;
        }
    }

    public static byte[] packets(long first, int count) {
        byte[] b = new byte[count * PACKET];
        for (int i = 0; i < count; i++) {
            packet(first + i, b, i * PACKET);
        }
        return b;
    }

    /** The packet index written in a packet, or -1 when the bytes at {@code off} are not exactly a generated packet. */
    public static long indexOf(byte[] b, int off) {
        if (b[off] != 0x47) {
            return -1;
        }
        long k;
        try {
            k = Long.parseUnsignedLong(new String(b, off + 4, 16, java.nio.charset.StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
        byte[] expected = new byte[PACKET];
        packet(k, expected, 0);
        for (int i = 0; i < PACKET; i++) {
            if (b[off + i] != expected[i]) {
                return -1;
            }
        }
        return k;
    }

    /** What a check of a player's capture found. */
    public record Check(long firstIndex, long packets, long gaps, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * Checks that {@code data} starts on a packet boundary and is made of whole generated packets whose indexes
     * rise by one, except at most where a skip was allowed (then they must still rise).
     */
    public static Check check(byte[] data, boolean allowSkips) {
        int length = data.length;
        long first = -1;
        long prev = -1;
        long gaps = 0;
        int whole = length - length % PACKET;
        for (int off = 0; off < whole; off += PACKET) {
            long k = indexOf(data, off);
            if (k < 0) {
                return new Check(first, off / PACKET, gaps, "byte " + off + " is not the start of a packet");
            }
            if (prev >= 0 && k != prev + 1) {
                if (!allowSkips || k <= prev) {
                    return new Check(first, off / PACKET, gaps, "packet " + k + " follows " + prev);
                }
                gaps++;
            }
            if (first < 0) {
                first = k;
            }
            prev = k;
        }
        return new Check(first, whole / PACKET, gaps, whole == 0 ? "no whole packet" : null);
    }
}
