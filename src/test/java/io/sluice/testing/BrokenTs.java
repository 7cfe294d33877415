package io.sluice.testing;

import java.util.Arrays;

/** Real TS made broken as providers' streams break while their connection stays up (issue 15). */
public final class BrokenTs {
    private static final int PACKET = 188;

    private BrokenTs() {
    }

    /** {@code count} null packets (PID 0x1FFF), as a mux sends when it has nothing else. */
    public static byte[] nullPackets(int count) {
        byte[] b = new byte[count * PACKET];
        Arrays.fill(b, (byte) 0xFF);
        for (int off = 0; off < b.length; off += PACKET) {
            b[off] = 0x47;
            b[off + 1] = 0x1F;
            b[off + 2] = (byte) 0xFF;
            b[off + 3] = 0x10;
        }
        return b;
    }

    /** {@code ts} with every packet on one of {@code pids} from byte {@code from} on replaced by a null packet. */
    public static byte[] withoutPids(byte[] ts, int from, int... pids) {
        byte[] b = ts.clone();
        byte[] nul = nullPackets(1);
        for (int off = from; off + PACKET <= b.length; off += PACKET) {
            int pid = ((b[off + 1] & 0x1F) << 8) | (b[off + 2] & 0xFF);
            for (int p : pids) {
                if (p == pid) {
                    System.arraycopy(nul, 0, b, off, PACKET);
                }
            }
        }
        return b;
    }

    /** {@code ts} whose PCR stops at byte {@code from}: every later PCR repeats the last one before it. */
    public static byte[] pcrFrozen(byte[] ts, int from) {
        byte[] b = ts.clone();
        byte[] frozen = null;
        for (int off = 0; off + PACKET <= b.length; off += PACKET) {
            boolean pcr = (b[off + 3] & 0x20) != 0 && (b[off + 4] & 0xFF) >= 7 && (b[off + 5] & 0x10) != 0;
            if (!pcr) {
                continue;
            }
            if (off < from) {
                frozen = Arrays.copyOfRange(b, off + 6, off + 12);
            } else if (frozen != null) {
                System.arraycopy(frozen, 0, b, off + 6, 6);
            }
        }
        return b;
    }
}
