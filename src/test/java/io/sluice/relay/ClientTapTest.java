package io.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Await;
import io.sluice.testing.LiveTs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A tap against a recording output: no container needed. */
class ClientTapTest {

    static final class RecordingOutput implements PlayerOutput {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        volatile boolean ready = true;
        int maxWrite = ClientTap.MAX_WRITE;
        int largestWrite;
        /** Run (once) inside an isReady that refuses: the refusing thread still holds the tap there. */
        volatile Runnable onRefuse;
        int status;
        String location;
        int writes;
        boolean completed;
        boolean broken;

        @Override
        public void beginStream(String contentType) {
            status = 200;
        }

        @Override
        public void beginError(int s, int bodyLength, String loc) {
            status = s;
            location = loc;
        }

        @Override
        public boolean isReady() {
            boolean r = ready;
            Runnable hook = onRefuse;
            if (!r && hook != null) {
                onRefuse = null;
                hook.run();
            }
            return r;
        }

        @Override
        public int maxWrite() {
            return maxWrite;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (broken) {
                throw new IOException("player went away");
            }
            if (!ready) {
                throw new IllegalStateException("write while not ready");
            }
            body.write(b, off, len);
            writes++;
            largestWrite = Math.max(largestWrite, len);
        }

        @Override
        public void complete() {
            completed = true;
        }
    }

    static class RecordingOwner implements ClientTap.Owner {
        final AtomicInteger advanced = new AtomicInteger();
        final AtomicInteger left = new AtomicInteger();
        final AtomicInteger catchingUp = new AtomicInteger();

        @Override
        public void advanced() {
            advanced.incrementAndGet();
        }

        @Override
        public void left(ClientTap tap) {
            left.incrementAndGet();
        }

        @Override
        public void firstByte(long nanos) {
        }

        @Override
        public void catchingUp(ClientTap tap) {
            catchingUp.incrementAndGet();
        }
    }

    private final RecordingOutput out = new RecordingOutput();
    private final RecordingOwner owner = new RecordingOwner();
    private final AtomicLong served = new AtomicLong();
    private final AtomicInteger finished = new AtomicInteger();
    private final ClientTap tap = new ClientTap(out, "c1", served::addAndGet, owner, "/hls/x/playlist.m3u8",
            finished::incrementAndGet);

    private static TsRing ringWith(byte[] data, int capacity) {
        TsRing ring = new TsRing(capacity);
        ring.append(ByteBuffer.wrap(data), data.length);
        return ring;
    }

    @Test
    void writesWhatTheRingHoldsFromItsStart() {
        byte[] packets = LiveTs.packets(0, 20);
        TsRing ring = ringWith(packets, 188 * 64);
        tap.start(ring, 0, false, "video/mp2t");
        assertEquals(200, out.status);
        assertArrayEquals(packets, out.body.toByteArray());
        assertEquals(packets.length, served.get());
        assertTrue(owner.advanced.get() > 0);
        assertEquals(packets.length, tap.position());
    }

    @Test
    void aRoundWritesWhatTheRingGainedSinceTheLastInOneWrite() {
        byte[] packets = LiveTs.packets(0, 200);
        TsRing ring = new TsRing(188 * 2048);
        ring.append(ByteBuffer.wrap(packets, 0, 188 * 10), 188 * 10);
        tap.start(ring, 0, false, "video/mp2t");
        int writes = out.writes;
        for (int chunk = 0; chunk < 10; chunk++) { // ten upstream chunks between two rounds, under MAX_WRITE
            ring.append(ByteBuffer.wrap(packets, 188 * (10 + chunk * 8), 188 * 8), 188 * 8);
        }
        tap.deliver();
        assertEquals(writes + 1, out.writes, "one write for the round");
        assertArrayEquals(Arrays.copyOf(packets, 188 * 90), out.body.toByteArray());
        ring.append(ByteBuffer.wrap(packets, 188 * 90, 188 * 110), 188 * 110); // 20,680 bytes
        ring.append(ByteBuffer.wrap(LiveTs.packets(200, 100)), 188 * 100);
        tap.deliver();
        assertEquals(writes + 3, out.writes, "a round's backlog goes in writes of at most MAX_WRITE");
        assertEquals(188 * 300, out.body.size());
        tap.deliver();
        assertEquals(writes + 3, out.writes, "nothing new, nothing written");
        assertEquals(0, owner.catchingUp.get(), "rounds of a live stream are no backlog");
    }

    @Test
    void writesAreNoLargerThanTheOutputTakesAtOnce() {
        byte[] packets = LiveTs.packets(0, 100);
        TsRing ring = new TsRing(188 * 256);
        ring.append(ByteBuffer.wrap(packets, 0, 188 * 10), 188 * 10);
        out.maxWrite = 8 * 1024 - 12;
        ClientTap small = new ClientTap(out, "c2", served::addAndGet, owner, "/hls/x/playlist.m3u8", () -> { });
        small.start(ring, 0, false, "video/mp2t");
        ring.append(ByteBuffer.wrap(packets, 188 * 10, 188 * 90), 188 * 90); // 16,920 bytes: a 4 Mbit/s round
        int writes = out.writes;
        small.deliver();
        assertEquals(writes + 3, out.writes, "16,920 bytes in writes of at most 8,180");
        assertEquals(8 * 1024 - 12, out.largestWrite);
        assertArrayEquals(packets, out.body.toByteArray());
    }

    @Test
    void roundsLeaveABlockedPlayerToWritePossible() {
        byte[] packets = LiveTs.packets(0, 20);
        TsRing ring = new TsRing(188 * 64);
        ring.append(ByteBuffer.wrap(packets, 0, 188 * 10), 188 * 10);
        tap.start(ring, 0, false, "video/mp2t");
        out.ready = false;
        ring.append(ByteBuffer.wrap(packets, 188 * 10, 188 * 10), 188 * 10);
        tap.deliver(); // asks, is refused: the output will call writePossible
        out.ready = true;
        int writes = out.writes;
        tap.deliver();
        assertEquals(writes, out.writes, "a round does not ask a blocked output again");
        tap.writePossible();
        assertArrayEquals(packets, out.body.toByteArray());
    }

    /**
     * The interleaving LiveRelayIT's fifty players met at random, scripted: a round's write is refused; the
     * output drains at once and the container calls writePossible while the round still holds the tap; the relay
     * moves the player to where no packet starts yet, so the callback's drain stops before it asks the output.
     * The refusal's mark must not outlive the callback that answered it, or every later round skips the player.
     */
    @Test
    void aWritePossibleThatMeetsTheRefusingRoundStillHoldingTheTapIsNotLost() throws Exception {
        byte[] packets = LiveTs.packets(0, 40);
        TsRing ring = new TsRing(188 * 64);
        ring.append(ByteBuffer.wrap(packets, 0, 188 * 10), 188 * 10);
        tap.start(ring, 0, false, "video/mp2t");
        ring.append(ByteBuffer.wrap(packets, 188 * 10, 188 * 10), 188 * 10);
        Thread container = new Thread(tap::writePossible, "container-callback");
        container.setDaemon(true);
        out.ready = false;
        out.onRefuse = () -> {
            out.ready = true; // the pending write went out
            container.start();
            Await.until("the callback waiting for the round that holds the tap", Duration.ofSeconds(5),
                    () -> container.getState() == Thread.State.BLOCKED);
            tap.skipTo(ring.head() - 100); // the relay's move, before the callback gets the tap
        };
        tap.deliver();
        container.join(5_000);
        assertFalse(container.isAlive(), "the callback returned");
        int before = out.body.size();
        ring.append(ByteBuffer.wrap(packets, 188 * 20, 188 * 20), 188 * 20);
        tap.deliver();
        assertTrue(out.body.size() > before, "the next round writes to the player again");
        assertTrue(tap.holdsUpstream(System.nanoTime() + 10_000_000_000L, 1_000_000_000L), "not marked blocked");
        LiveTs.Check c = LiveTs.check(Arrays.copyOfRange(out.body.toByteArray(), before, out.body.size()), true);
        assertTrue(c.ok(), c.problem());
    }

    @Test
    void aJoinerInTheMiddleOfAPacketStartsAtTheNextOne() {
        byte[] packets = LiveTs.packets(0, 20);
        TsRing ring = ringWith(packets, 188 * 64);
        tap.start(ring, 100, true, "video/mp2t");
        byte[] got = out.body.toByteArray();
        assertEquals(1, LiveTs.indexOf(got, 0));
        assertTrue(LiveTs.check(got, false).ok());
    }

    @Test
    void aRefusedWriteWaitsForWritePossibleAndStopsHoldingTheUpstreamAfterTheGrace() throws Exception {
        byte[] packets = LiveTs.packets(0, 4);
        TsRing ring = ringWith(packets, 188 * 64);
        out.ready = false;
        tap.start(ring, 0, false, "video/mp2t");
        assertEquals(0, out.body.size());
        assertTrue(tap.holdsUpstream(System.nanoTime(), 1_000_000_000L));
        assertFalse(tap.holdsUpstream(System.nanoTime() + 2_000_000_000L, 1_000_000_000L));
        out.ready = true;
        tap.writePossible();
        assertArrayEquals(packets, out.body.toByteArray());
        assertTrue(tap.holdsUpstream(System.nanoTime() + 2_000_000_000L, 1_000_000_000L), "writing again");
    }

    @Test
    void aSkippedPlayerFinishesItsPacketThenJumpsToAWholeOne() {
        byte[] packets = LiveTs.packets(0, 30);
        TsRing ring = new TsRing(188 * 64);
        ring.append(ByteBuffer.wrap(packets, 0, 188 * 10), 188 * 10);
        tap.start(ring, 0, false, "video/mp2t");
        // The player took one and a half packets, then the output blocked.
        out.body.reset();
        byte[] firstPart = Arrays.copyOf(packets, 188 + 94);
        out.body.writeBytes(firstPart);
        setPosition(188 + 94);
        out.ready = false;
        tap.skipTo(188 * 5 + 10);
        out.ready = true;
        ring.append(ByteBuffer.wrap(packets, 188 * 10, 188 * 20), 188 * 20);
        tap.writePossible();
        byte[] got = out.body.toByteArray();
        LiveTs.Check c = LiveTs.check(got, true);
        assertTrue(c.ok(), c.problem());
        assertEquals(6, LiveTs.indexOf(got, 2 * 188), "the jump lands on the next whole packet");
    }

    /** Moves the tap as if it had written up to {@code p} before it blocked. */
    private void setPosition(long p) {
        // A tap's position only moves by writing or skipping: restart it on a ring holding just what was written.
        try {
            var f = ClientTap.class.getDeclaredField("pos");
            f.setAccessible(true);
            f.setLong(tap, p);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theUpstreamsEndEndsThePlayerAfterEveryByte() {
        byte[] packets = LiveTs.packets(0, 5);
        TsRing ring = ringWith(packets, 188 * 64);
        tap.start(ring, 0, false, "video/mp2t");
        tap.stopAt(ring.head());
        assertArrayEquals(packets, out.body.toByteArray());
        assertTrue(out.completed);
        assertEquals(1, owner.left.get());
        assertEquals(1, finished.get());
        tap.finish();
        assertEquals(1, finished.get(), "once");
    }

    @Test
    void aPlayerWaitingForTheUpstreamGetsTheFailureAsJson() {
        tap.fail(502, "All sources failed");
        assertEquals(502, out.status);
        assertTrue(out.body.toString().contains("All sources failed"));
        assertTrue(out.completed);
        assertEquals(1, owner.left.get());
    }

    @Test
    void aStreamThatTurnsOutHlsRedirectsItsWaitingPlayers() {
        tap.redirectToPlaylist();
        assertEquals(302, out.status);
        assertEquals("/hls/x/playlist.m3u8", out.location);
    }

    @Test
    void aPlayerGoneMidWriteIsFinished() {
        TsRing ring = ringWith(LiveTs.packets(0, 5), 188 * 64);
        out.broken = true;
        tap.start(ring, 0, false, "video/mp2t");
        assertTrue(out.completed);
        assertTrue(tap.isDone());
        assertEquals(1, owner.left.get());
    }
}
