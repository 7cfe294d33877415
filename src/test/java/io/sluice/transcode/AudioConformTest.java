package io.sluice.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.config.Settings;
import io.sluice.testing.Await;
import io.sluice.testing.Decoders;
import io.sluice.testing.SpliceSources;
import io.sluice.ts.AudioChange;
import io.sluice.upstream.BodySink;
import io.sluice.upstream.Feed;
import io.sluice.upstream.UpstreamFailure;
import io.sluice.upstream.UpstreamResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The audio conform with Debian's FFmpeg: the backup's MP2 out as AAC, held by its sink, stopped for good. */
class AudioConformTest {
    private static final AudioChange MP2_TO_AAC = new AudioChange(Arrays.asList("aac"));

    private final Transcoders transcoders = new Transcoders();

    AudioConformTest() {
        transcoders.settings = Settings.from(Map.of("SPLICE_CONFORM_MAX_PROCESSES", "1")::get);
        transcoders.ffmpeg = new Ffmpeg();
        transcoders.ffmpeg.settings = transcoders.settings;
        assertTrue(transcoders.ffmpeg.available(), "Debian's ffmpeg is needed"); // looked for once, as at startup
    }

    /** What a relay would be: collects the output while it has room, as far as {@code room} says. */
    private static final class Relay implements BodySink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicLong room = new AtomicLong(Long.MAX_VALUE);
        final AtomicInteger ends = new AtomicInteger();
        final AtomicReference<UpstreamFailure> failure = new AtomicReference<>();

        @Override
        public void onResponse(UpstreamResponse response) {
        }

        @Override
        public synchronized void onData(ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            bytes.write(b, 0, b.length);
        }

        @Override
        public long capacity() {
            return room.get();
        }

        @Override
        public void onEnd() {
            ends.incrementAndGet();
        }

        @Override
        public void onFailure(UpstreamFailure f) {
            failure.set(f);
        }

        synchronized int size() {
            return bytes.size();
        }
    }

    /** The source's connection, as the conform sees it: it counts the wake-ups it gets. */
    private static final class Source implements Feed {
        final AtomicInteger resumes = new AtomicInteger();
        volatile boolean stopped;

        @Override
        public boolean isPaused() {
            return false;
        }

        @Override
        public void resume() {
            resumes.incrementAndGet();
        }

        @Override
        public void stop() {
            stopped = true;
        }
    }

    /** Feeds {@code ts} from {@code from} as the source's connection would: only as far as the conform has room. */
    private static int feed(AudioConform a, byte[] ts, int from, int to, Duration within) throws Exception {
        int at = from;
        long deadline = System.nanoTime() + within.toNanos();
        while (at < to && System.nanoTime() < deadline) {
            int n = (int) Math.min(to - at, Math.min(64 * 1024, a.inputRoom()));
            if (n == 0) {
                Thread.onSpinWait();
                continue;
            }
            a.input(ByteBuffer.wrap(ts, at, n));
            at += n;
        }
        return at;
    }

    private AudioConform startedOnAFullRelay(Relay relay) {
        relay.room.set(0);
        AudioConform a = transcoders.conform("conform-test", MP2_TO_AAC, new Source(), relay);
        a.start();
        return a;
    }

    @Test
    void theBackupsMp2ComesOutAsAacWithItsVideoCopied() throws Exception {
        byte[] b = SpliceSources.backup();
        Relay relay = new Relay();
        Source source = new Source();
        AudioConform a = transcoders.conform("conform-test", MP2_TO_AAC, source, relay);
        assertNotNull(a);
        a.start();
        int eight = 8 * SpliceSources.realTimeRate(b);
        assertEquals(eight, feed(a, b, 0, eight, Duration.ofSeconds(30)));
        a.inputEnded();
        Await.until("FFmpeg's output ends after its input", Duration.ofSeconds(30), () -> relay.ends.get() == 1);
        assertNull(relay.failure.get());
        assertTrue(source.resumes.get() > 0, "the source is read on as FFmpeg takes its bytes");
        Path out = Path.of("target/test-media/conformed-backup.ts");
        Files.createDirectories(out.getParent());
        Files.write(out, relay.bytes.toByteArray());
        Decoders.Probe probe = Decoders.probe(out.toString(), 30);
        assertEquals("h264", probe.codecs().get(0), probe.toString());
        assertEquals("aac", probe.codecs().get(1), probe.toString());
        assertTrue(probe.packetsAfterSplice(0) + probe.packets().get(0)[0] >= 7 * 50, "the video's pictures: " + probe);
        Decoders.Decode d = Decoders.decode(out.toString(), 30);
        assertEquals(0, d.failedPackets(1), d.errors());
        Await.until("its process slot is given back", Duration.ofSeconds(10), () -> transcoders.conforming() == 0);
    }

    @Test
    void aRelayWithoutRoomHoldsFfmpegAndFfmpegHoldsTheSource() throws Exception {
        byte[] b = SpliceSources.backup();
        Relay relay = new Relay();
        AudioConform a = startedOnAFullRelay(relay);
        int fed = feed(a, b, 0, b.length, Duration.ofSeconds(5));
        assertTrue(fed < b.length / 2, "the source was read only as far as the pipes and the buffer hold: " + fed);
        assertEquals(0, a.inputRoom());
        assertEquals(0, relay.size());
        Await.until("the conform waits for room", Duration.ofSeconds(5), a::isPaused);
        relay.room.set(Long.MAX_VALUE);
        a.resume();
        Await.until("output once there is room", Duration.ofSeconds(10), () -> relay.size() > 0);
        a.stop();
    }

    @Test
    void aBurstBeyondTheBufferDropsItsOldestBytesAndFfmpegGoesOn() throws Exception {
        byte[] b = SpliceSources.backup();
        Relay relay = new Relay();
        AudioConform a = startedOnAFullRelay(relay);
        int burst = b.length / (64 * 1024) * 64 * 1024; // a window granted for the ring, whatever the room
        for (int at = 0; at < burst; at += 64 * 1024) {
            a.input(ByteBuffer.wrap(b, at, 64 * 1024));
        }
        assertTrue(a.dropped() > 0 && a.dropped() < burst, "dropped " + a.dropped());
        assertEquals(0, a.inputRoom());
        relay.room.set(Long.MAX_VALUE);
        a.resume();
        a.inputEnded();
        Await.until("FFmpeg's output ends after its input", Duration.ofSeconds(30), () -> relay.ends.get() == 1);
        Path out = Path.of("target/test-media/conformed-burst.ts");
        Files.write(out, relay.bytes.toByteArray());
        Decoders.Probe probe = Decoders.probe(out.toString(), 30);
        assertEquals("aac", probe.codecs().get(1), probe.toString());
        assertTrue(probe.packets().get(1)[0] + probe.packetsAfterSplice(1) > 10 * 40, "the newest audio: " + probe);
    }

    @Test
    void ffmpegDyingIsAFailureThatLetsGoOfTheSourceAndLeavesNoThread() throws Exception {
        Relay relay = new Relay();
        Source source = new Source();
        AtomicInteger slots = new AtomicInteger(1);
        // Reads a little of its input, says why it gives up and dies: as FFmpeg does on a source it cannot read.
        AudioConform a = new AudioConform("crashing", java.util.List.of("sh", "-c",
                "head -c 1000 >/dev/null; echo 'Invalid data found when processing input' >&2; exit 1"),
                source, relay, new ProcessSlot(true, slots::decrementAndGet));
        a.start();
        a.input(ByteBuffer.wrap(SpliceSources.backup(), 0, 64 * 1024));
        Await.until("the failure reported", Duration.ofSeconds(10), () -> relay.failure.get() != null);
        assertTrue(relay.failure.get().message().contains("exited with code 1"), relay.failure.get().message());
        assertTrue(relay.failure.get().message().contains("Invalid data"), relay.failure.get().message());
        assertTrue(source.stopped, "the source's connection is let go");
        Await.until("no thread of the conform left", Duration.ofSeconds(5), () -> Thread.getAllStackTraces().keySet()
                .stream().noneMatch(t -> t.getName().endsWith("-crashing") && t.isAlive()));
        Await.until("the slot is given back", Duration.ofSeconds(10), () -> slots.get() == 0);
    }

    @Test
    void stoppingEndsFfmpegAndTheSourceAndFreesTheSlot() throws Exception {
        byte[] b = SpliceSources.backup();
        Relay relay = new Relay();
        Source source = new Source();
        AudioConform a = transcoders.conform("conform-test", MP2_TO_AAC, source, relay);
        assertNull(transcoders.conform("other", MP2_TO_AAC, new Source(), new Relay()), "one slot, taken");
        a.start();
        feed(a, b, 0, 2 * SpliceSources.realTimeRate(b), Duration.ofSeconds(10));
        Await.until("output", Duration.ofSeconds(10), () -> relay.size() > 0);
        a.stop();
        assertTrue(source.stopped, "the source's connection is let go");
        Await.until("the slot is given back when FFmpeg is gone", Duration.ofSeconds(10),
                () -> transcoders.conforming() == 0);
        assertNull(relay.failure.get(), "a stop is no failure");
        assertEquals(0, relay.ends.get(), "nor an end");
    }
}
