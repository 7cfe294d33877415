package io.sluice.relay;

import java.nio.ByteBuffer;

/**
 * Cuts one upstream connection's body into whole TS packets. A packet cut by a broken connection would otherwise
 * run into the next source's first packet and reach every player damaged, so the start of a packet whose rest has
 * not arrived waits here: it is passed on at a clean end ({@link #flush}) and dropped at a failure.
 * Not thread-safe: one connection's callbacks come one at a time.
 */
final class PacketAssembler {
    private final byte[] partial = new byte[TsRing.PACKET];
    private int partialLength;

    /** Passes every whole packet of {@code src} (with a waiting start before it) to {@code sink}; keeps the rest. */
    void accept(ByteBuffer src, PacketSink sink) {
        if (partialLength > 0) {
            int n = Math.min(TsRing.PACKET - partialLength, src.remaining());
            src.get(partial, partialLength, n);
            partialLength += n;
            if (partialLength < TsRing.PACKET) {
                return;
            }
            sink.packets(ByteBuffer.wrap(partial, 0, TsRing.PACKET), TsRing.PACKET);
            partialLength = 0;
        }
        int whole = src.remaining() - src.remaining() % TsRing.PACKET;
        if (whole > 0) {
            sink.packets(src, whole);
        }
        int rest = src.remaining();
        src.get(partial, 0, rest);
        partialLength = rest;
    }

    /** A clean end of the body: the waiting bytes are all there is, so they go on as they are. */
    void flush(PacketSink sink) {
        if (partialLength > 0) {
            sink.packets(ByteBuffer.wrap(partial, 0, partialLength), partialLength);
            partialLength = 0;
        }
    }

    /** Bytes waiting for the rest of their packet. */
    int pending() {
        return partialLength;
    }
}
