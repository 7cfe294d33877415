package io.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Await;
import io.sluice.testing.LiveTs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A live player ended (gone, stream stopped) while the upstream's thread is writing to it. */
class ClientTapFinishTest {

    /** An output whose first write waits until released, and which notes a completion during a write. */
    static final class HeldOutput implements PlayerOutput {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        final AtomicBoolean inWrite = new AtomicBoolean();
        final AtomicBoolean completed = new AtomicBoolean();
        final AtomicBoolean completedDuringWrite = new AtomicBoolean();
        private boolean held;

        @Override
        public void beginStream(String contentType) {
        }

        @Override
        public void beginError(int status, int bodyLength, String location) {
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public int maxWrite() {
            return ClientTap.MAX_WRITE;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            inWrite.set(true);
            try {
                if (!held) {
                    held = true;
                    writing.countDown();
                    if (!released.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("never released");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            } finally {
                inWrite.set(false);
            }
        }

        @Override
        public void complete() {
            if (inWrite.get()) {
                completedDuringWrite.set(true);
            }
            completed.set(true);
        }
    }

    @Test
    void theResponseCompletesOnlyAfterTheWriteUnderWayHasReturned() throws Exception {
        HeldOutput out = new HeldOutput();
        ClientTapTest.RecordingOwner owner = new ClientTapTest.RecordingOwner();
        ClientTap tap = new ClientTap(out, "c1", n -> {
        }, owner, "/hls/x/playlist.m3u8", () -> {
        });
        TsRing ring = new TsRing(64 * 1024);
        ring.append(ByteBuffer.wrap(LiveTs.packets(0, 100)), 100 * TsRing.PACKET);
        Thread writer = new Thread(() -> tap.start(ring, 0, false, "video/mp2t"));
        writer.start();
        assertTrue(out.writing.await(10, TimeUnit.SECONDS), "a write started");

        Thread finisher = new Thread(tap::finish);
        finisher.start();
        // Either it completes the response under the write (the race) or it waits for the write to end.
        Await.until("the finisher completed or waits", Duration.ofSeconds(10),
                () -> out.completed.get() || finisher.getState() == Thread.State.BLOCKED);
        out.released.countDown();
        finisher.join(10_000);
        writer.join(10_000);
        assertTrue(out.completed.get(), "the response was completed");
        assertFalse(out.completedDuringWrite.get(), "completed while a write was still running");
    }
}
