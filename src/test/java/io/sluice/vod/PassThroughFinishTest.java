package io.sluice.vod;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.config.Settings;
import io.sluice.testing.Await;
import io.sluice.testing.ServletDoubles;
import io.sluice.testing.TestUpstream;
import io.sluice.upstream.UpstreamClient;
import io.sluice.upstream.UpstreamRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A pass-through ended (player gone, stream stopped) while a write is under way on another thread. */
class PassThroughFinishTest {
    private TestUpstream upstream;
    private UpstreamClient client;

    @BeforeEach
    void start() {
        upstream = TestUpstream.start();
        client = UpstreamClientAccess.started(Settings.from(Map.<String, String>of()::get));
    }

    @AfterEach
    void stop() {
        UpstreamClientAccess.stop(client);
        upstream.close();
    }

    @Test
    void theResponseCompletesOnlyAfterTheWriteUnderWayHasReturned() throws Exception {
        upstream.route("/movie.mp4", TestUpstream.file(new byte[1024 * 1024], "video/mp4"));
        ServletDoubles.HeldOutput out = new ServletDoubles.HeldOutput();
        ServletDoubles.Completion seen = new ServletDoubles.Completion();
        out.holdNextWrite();
        PassThrough pass = new PassThrough(ServletDoubles.asyncContext(out, seen), ServletDoubles.response(), out,
                client, new UpstreamRequest(URI.create(upstream.url("/movie.mp4")), "test", Map.of()),
                new PassThrough.Options(false, 0, "video/mp4"), PassThrough.Sources.FIXED, n -> {
                }, () -> {
                });
        pass.start();
        assertTrue(out.writing.await(10, TimeUnit.SECONDS), "a write started");

        Thread finisher = new Thread(() -> pass.onError(new java.io.IOException("player gone")));
        finisher.start();
        // Either it completes the response under the write (the race) or it waits for the write to end.
        Await.until("the finisher completed or waits", Duration.ofSeconds(10),
                () -> seen.completed.get() || finisher.getState() == Thread.State.BLOCKED);
        out.release();
        finisher.join(10_000);
        assertTrue(seen.completed.get(), "the response was completed");
        assertFalse(seen.completedDuringWrite.get(), "completed while a write was still running");
    }
}
