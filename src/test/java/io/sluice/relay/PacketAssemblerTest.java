package io.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.testing.LiveTs;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketAssemblerTest {
    private final ByteArrayOutputStream passed = new ByteArrayOutputStream();
    private final List<Integer> lengths = new ArrayList<>();
    private final PacketSink sink = (src, length) -> {
        byte[] b = new byte[length];
        src.get(b);
        passed.writeBytes(b);
        lengths.add(length);
    };

    @Test
    void passesOnlyWholePacketsWhateverTheChunking() {
        byte[] body = LiveTs.packets(0, 10);
        PacketAssembler a = new PacketAssembler();
        int[] cuts = {1, 187, 188, 189, 500, 1000, body.length};
        int from = 0;
        for (int cut : cuts) {
            a.accept(ByteBuffer.wrap(body, from, cut - from), sink);
            from = cut;
            assertEquals(0, passed.size() % TsRing.PACKET, "only whole packets so far");
        }
        assertArrayEquals(body, passed.toByteArray());
        assertEquals(0, a.pending());
        lengths.forEach(n -> assertEquals(0, n % TsRing.PACKET));
    }

    @Test
    void aCutTailWaitsAndGoesOnOnlyAtACleanEnd() {
        byte[] body = LiveTs.packets(0, 3);
        PacketAssembler a = new PacketAssembler();
        a.accept(ByteBuffer.wrap(body, 0, 2 * 188 + 100), sink);
        assertEquals(2 * 188, passed.size());
        assertEquals(100, a.pending());
        a.flush(sink);
        assertArrayEquals(Arrays.copyOf(body, 2 * 188 + 100), passed.toByteArray());
        assertEquals(0, a.pending());
    }

    @Test
    void aFailedConnectionsCutTailNeverReachesTheSink() {
        byte[] body = LiveTs.packets(0, 2);
        PacketAssembler a = new PacketAssembler();
        a.accept(ByteBuffer.wrap(body, 0, 188 + 50), sink);
        // A failure: the relay drops the assembler with its connection, without flushing.
        assertEquals(188, passed.size());
        assertEquals(50, a.pending());
    }
}
