package io.sluice.relay;

import java.nio.ByteBuffer;

/**
 * A bounded window over one live stream's bytes, addressed by absolute stream offset. One writer (the upstream)
 * appends at {@link #head()}; readers keep their own offsets and read what lies in {@code [tail, head)}.
 * The owner guarantees no reader is overwritten (the relay moves laggards before a write).
 */
final class TsRing {
    static final int PACKET = 188;
    static final byte SYNC = 0x47;

    private final byte[] buf;
    private volatile long head;

    TsRing(int capacity) {
        this.buf = new byte[capacity];
    }

    int capacity() {
        return buf.length;
    }

    long head() {
        return head;
    }

    /** The oldest offset still held. */
    long tail() {
        return Math.max(0, head - buf.length);
    }

    /** Appends {@code n} bytes from {@code src}; {@code n} must not exceed the capacity. */
    void append(ByteBuffer src, int n) {
        long h = head;
        int off = (int) (h % buf.length);
        int first = Math.min(n, buf.length - off);
        src.get(buf, off, first);
        if (n > first) {
            src.get(buf, 0, n - first);
        }
        head = h + n; // volatile write publishes the bytes to readers
    }

    byte[] array() {
        return buf;
    }

    int indexOf(long pos) {
        return (int) (pos % buf.length);
    }

    /** Bytes readable in one contiguous slice from {@code pos}, up to {@code limit} and {@code max}. */
    int contiguous(long pos, long limit, int max) {
        long avail = Math.min(limit, head) - pos;
        int toWrap = buf.length - indexOf(pos);
        return (int) Math.min(Math.min(avail, toWrap), max);
    }

    byte byteAt(long pos) {
        return buf[indexOf(pos)];
    }

    /**
     * The first offset at or after {@code from} where three sync bytes stand one packet apart, or -1 when none is
     * held yet. Three in a row keep a stray 0x47 in a payload from being taken for a packet start.
     */
    long syncPoint(long from) {
        long start = Math.max(from, tail());
        long end = head - 2L * PACKET;
        for (long p = start; p < end; p++) {
            if (byteAt(p) == SYNC && byteAt(p + PACKET) == SYNC && byteAt(p + 2L * PACKET) == SYNC) {
                return p;
            }
        }
        return -1;
    }
}
