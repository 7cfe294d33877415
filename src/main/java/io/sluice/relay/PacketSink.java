package io.sluice.relay;

import java.nio.ByteBuffer;

/**
 * Where the current upstream's bytes enter the ring, in whole TS packets (a cut tail only at a clean end of the
 * body). The one seam for whatever inspects or rewrites packets on the way in: wrap the sink the relay builds
 * in {@code LiveRelay.ingest}.
 */
@FunctionalInterface
interface PacketSink {
    /** Takes exactly {@code length} bytes from {@code src}'s position. */
    void packets(ByteBuffer src, int length);
}
