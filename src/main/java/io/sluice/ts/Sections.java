package io.sluice.ts;

/** Sections as packets: what a multiplexer does with a table it sends. */
public final class Sections {
    private Sections() {
    }

    static void writeCrc(byte[] s) {
        int crc = Crc32Mpeg.of(s, 0, s.length - 4);
        s[s.length - 4] = (byte) (crc >>> 24);
        s[s.length - 3] = (byte) (crc >>> 16);
        s[s.length - 2] = (byte) (crc >>> 8);
        s[s.length - 1] = (byte) crc;
    }

    /**
     * The packets that carry {@code section} on {@code pid}: the first with payload_unit_start and a zero pointer
     * field, the rest of the last packet stuffed with 0xFF. Continuity counters are left 0 for the sender to set.
     */
    public static byte[] packets(byte[] section, int pid) {
        int room = TsPacket.SIZE - 4;
        int count = (section.length + 1 + room - 1) / room;
        byte[] out = new byte[count * TsPacket.SIZE];
        java.util.Arrays.fill(out, (byte) 0xFF);
        int from = 0;
        for (int k = 0; k < count; k++) {
            int off = k * TsPacket.SIZE;
            out[off] = TsPacket.SYNC;
            out[off + 1] = (byte) ((k == 0 ? 0x40 : 0) | ((pid >> 8) & 0x1F));
            out[off + 2] = (byte) pid;
            out[off + 3] = 0x10; // payload only
            int p = off + 4;
            if (k == 0) {
                out[p++] = 0; // pointer_field: the section starts right here
            }
            int n = Math.min(section.length - from, off + TsPacket.SIZE - p);
            System.arraycopy(section, from, out, p, n);
            from += n;
        }
        return out;
    }
}
