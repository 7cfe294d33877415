package io.sluice.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.config.Settings;
import io.sluice.testing.Await;
import io.sluice.testing.TestMedia;
import io.sluice.testing.TestUpstream;
import io.sluice.transcode.Ffmpeg;
import io.sluice.web.JsonText;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.io.StringReader;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an undeploy or restart leaves: no FFmpeg running, no segment kept (and no file was ever written). */
class BroadcastsLifecycleTest {
    private TestUpstream upstream;
    private Broadcasts broadcasts;
    private final List<BroadcastEvent> fired = new CopyOnWriteArrayList<>();

    private final java.nio.file.Path dvr = java.nio.file.Path.of("target/dvr-test").toAbsolutePath();

    @BeforeEach
    void setUp() throws Exception {
        java.nio.file.Files.createDirectories(dvr.resolve("broadcast_left-by-a-crash"));
        java.nio.file.Files.write(dvr.resolve("broadcast_left-by-a-crash/live000001.ts"), new byte[188]);
        upstream = TestUpstream.start();
        upstream.route("/vod/film.ts", TestUpstream.rangedFile(TestMedia.sourceTs(), "video/mp2t"));
        broadcasts = new Broadcasts();
        broadcasts.settings = Settings.from(Map.of("BROADCAST_MAX_CONCURRENT", "2", "BROADCAST_DVR_DIR", dvr.toString())::get);
        broadcasts.ffmpeg = new Ffmpeg() {
            @Override
            public boolean available() {
                return true;
            }
        };
        broadcasts.callbacks = new BroadcastCallbacks();
        broadcasts.callbacks.start();
        broadcasts.events = new Recorder();
        broadcasts.sweep();
    }

    @AfterEach
    void tearDown() {
        broadcasts.shutdown();
        broadcasts.callbacks.close();
        upstream.close();
    }

    private BroadcastRequest request(String extra) {
        return new BroadcastRequestParser(broadcasts.settings).parse(JsonText.JSON.createReader(new StringReader(
                "{\"stream_url\":\"" + upstream.url("/vod/film.ts") + "\",\"segment_duration\":1" + extra + "}")).readValue());
    }

    @Test
    void aShutdownKillsEveryFfmpegAndDropsEverySegment() {
        broadcasts.start("one", request(",\"duration_seconds\":30"));
        broadcasts.start("two", request(",\"duration_seconds\":30,\"seek_seconds\":5"));
        Await.until("segments from both", Duration.ofSeconds(20),
                () -> broadcasts.playlist("one").isPresent() && broadcasts.playlist("two").isPresent());
        List<Long> pids = broadcasts.pids();
        assertEquals(2, pids.size());
        broadcasts.shutdown();
        Await.until("no FFmpeg left", Duration.ofSeconds(10),
                () -> pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        assertTrue(broadcasts.all().isEmpty());
        assertTrue(broadcasts.playlist("one").isEmpty());
        assertEquals(0, broadcasts.bytesInMemory());
    }

    @Test
    void aProgrammeThatEndsIsAnEventAndItsWindowStaysForTheNext() {
        broadcasts.start("net", request(",\"duration_seconds\":3"));
        Await.until("the programme's end", Duration.ofSeconds(20),
                () -> fired.stream().anyMatch(e -> e instanceof BroadcastEvent.ProgrammeEnded));
        BroadcastEvent.ProgrammeEnded end = (BroadcastEvent.ProgrammeEnded) fired.stream()
                .filter(e -> e instanceof BroadcastEvent.ProgrammeEnded).findFirst().orElseThrow();
        assertTrue(end.finalSegmentNumber() >= 2, end.toString());
        assertEquals("stopped", broadcasts.status("net").orElseThrow().status());
        BroadcastStatus next = broadcasts.start("net", request(",\"duration_seconds\":3"));
        assertEquals(end.finalSegmentNumber() + 1, next.currentSegmentNumber());
        assertTrue(fired.stream().filter(e -> e instanceof BroadcastEvent.Started).count() == 2);
        assertTrue(broadcasts.delete("net"));
        assertFalse(broadcasts.delete("net"));
    }

    @Test
    void aDvrRecordingKeepsEverySegmentOnDiskUntilTheNetworkIsDeletedAndAStartUpSweepsLeftovers() throws Exception {
        assertFalse(java.nio.file.Files.exists(dvr.resolve("broadcast_left-by-a-crash")), "swept at start-up");
        broadcasts.start("rec", request(",\"duration_seconds\":4,\"hls_list_size\":1,\"dvr_mode\":true"));
        Await.until("the programme's end", Duration.ofSeconds(20),
                () -> fired.stream().anyMatch(e -> e instanceof BroadcastEvent.ProgrammeEnded));
        java.nio.file.Path dir = dvr.resolve("broadcast_rec");
        assertEquals(dir.toString(), broadcasts.status("rec").orElseThrow().hlsDir());
        String recorded = java.nio.file.Files.readString(dir.resolve("live.m3u8"));
        long listed = recorded.lines().filter(l -> l.startsWith("live")).count();
        assertTrue(listed >= 4, "every segment, not the live window of one: " + recorded);
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(listed, files.filter(f -> f.toString().endsWith(".ts")).count());
        }
        assertEquals(1, broadcasts.playlist("rec").orElseThrow().lines().filter(l -> l.startsWith("live")).count(),
                "players still get the live window");
        broadcasts.delete("rec");
        assertFalse(java.nio.file.Files.exists(dir), "a deleted network leaves no files");
    }

    @Test
    void aShutdownRemovesRecordingsToo() {
        broadcasts.start("rec2", request(",\"duration_seconds\":30,\"dvr_mode\":true"));
        Await.until("a recorded segment", Duration.ofSeconds(20), () -> broadcasts.playlist("rec2").isPresent());
        assertTrue(java.nio.file.Files.exists(dvr.resolve("broadcast_rec2")));
        broadcasts.shutdown();
        assertFalse(java.nio.file.Files.exists(dvr.resolve("broadcast_rec2")));
    }

    private final class Recorder implements Event<BroadcastEvent> {
        @Override
        public void fire(BroadcastEvent event) {
            fired.add(event);
        }

        @Override
        public <U extends BroadcastEvent> CompletionStage<U> fireAsync(U event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends BroadcastEvent> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Event<BroadcastEvent> select(Annotation... qualifiers) {
            return this;
        }

        @Override
        public <U extends BroadcastEvent> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends BroadcastEvent> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }
}
