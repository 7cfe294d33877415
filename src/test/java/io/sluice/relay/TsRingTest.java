package io.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.testing.LiveTs;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TsRingTest {

    @Test
    void readsBackAcrossTheWrap() {
        TsRing ring = new TsRing(1000);
        byte[] data = new byte[2500];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        ring.append(ByteBuffer.wrap(data, 0, 700), 700);
        ring.append(ByteBuffer.wrap(data, 700, 600), 600);
        assertEquals(1300, ring.head());
        assertEquals(300, ring.tail());
        // From 900: 100 bytes to the end of the array, then the wrapped rest.
        int first = ring.contiguous(900, ring.head(), Integer.MAX_VALUE);
        assertEquals(100, first);
        byte[] got = new byte[400];
        System.arraycopy(ring.array(), ring.indexOf(900), got, 0, first);
        int second = ring.contiguous(900 + first, ring.head(), Integer.MAX_VALUE);
        System.arraycopy(ring.array(), ring.indexOf(900 + first), got, first, second);
        assertArrayEquals(Arrays.copyOfRange(data, 900, 1300), got);
    }

    @Test
    void findsThePacketBoundaryNotAStrayByte() {
        TsRing ring = new TsRing(188 * 20);
        byte[] junk = {0x47, 1, 2, 0x47, 5}; // stray sync bytes before the real packets
        ring.append(ByteBuffer.wrap(junk), junk.length);
        byte[] packets = LiveTs.packets(7, 5);
        ring.append(ByteBuffer.wrap(packets), packets.length);
        long p = ring.syncPoint(0);
        assertEquals(junk.length, p);
        assertEquals(7, LiveTs.indexOf(copy(ring, p, 188), 0));
        // From inside a packet, the next boundary.
        assertEquals(junk.length + 188, ring.syncPoint(junk.length + 1));
    }

    @Test
    void noBoundaryUntilThreePacketsAreHeld() {
        TsRing ring = new TsRing(188 * 20);
        byte[] two = LiveTs.packets(0, 2);
        ring.append(ByteBuffer.wrap(two), two.length);
        assertEquals(-1, ring.syncPoint(0));
        byte[] more = LiveTs.packets(2, 1);
        ring.append(ByteBuffer.wrap(more), 1);
        assertEquals(0, ring.syncPoint(0));
    }

    private static byte[] copy(TsRing ring, long from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = ring.byteAt(from + i);
        }
        return b;
    }
}
