package io.sluice.ts;

import java.io.ByteArrayOutputStream;

/** Drives a {@link TsSplicer} as the relay does: whole packets in chunks, the feed named per call. */
final class Splice {
    static final int CHUNK = 32;
    final TsSplicer splicer;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private byte[] buf = new byte[CHUNK * TsSplicer.MAX_OUT_PER_PACKET];
    long nowNanos = 1_000_000_000L;
    /** Output offsets where a player could join, in order. */
    final java.util.List<Integer> joins = new java.util.ArrayList<>();

    Splice(long waitNanos) {
        this(waitNanos, false);
    }

    Splice(long waitNanos, boolean holdAudioChanges) {
        splicer = new TsSplicer(waitNanos, holdAudioChanges);
    }

    /** Feeds {@code bytes} of {@code ts} from {@code from} as coming from {@code feed}; returns where its output began. */
    int feed(Object feed, byte[] ts, int from, int bytes) {
        int start = out.size();
        int end = Math.min(ts.length, from + bytes);
        for (int off = from; off + TsPacket.SIZE <= end; off += CHUNK * TsPacket.SIZE) {
            int n = Math.min(CHUNK, (end - off) / TsPacket.SIZE);
            if (buf.length < splicer.outputRoom(n)) {
                buf = new byte[splicer.outputRoom(n)];
            }
            int written = splicer.process(feed, ts, off, n, buf, 0, nowNanos);
            if (splicer.joinIndex() >= 0) {
                joins.add(out.size() + splicer.joinIndex());
            }
            out.write(buf, 0, written);
        }
        return start;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
