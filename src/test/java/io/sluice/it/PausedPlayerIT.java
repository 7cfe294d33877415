package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.LiveTs;
import io.sluice.testing.LoopbackTomcat;
import io.sluice.testing.RawPlayer;
import io.sluice.testing.TestUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * A player that pauses (issue 13 item 10, SPEC 6) keeps its connection past the container's connection timeout
 * (4 s in the test container) and the upstream's read timeout (2 s here), up to PLAYER_PAUSE_LIMIT: a live one
 * continues from the live edge, a VOD one gets the rest of the file. The pause is the test's subject, so it is
 * a real wait of a fixed length, not a wait for a condition.
 */
class PausedPlayerIT extends SluiceIT {
    private static final long PAUSE_LIMIT_SECONDS = 10;
    private static final long KEPT_PAUSE_MILLIS = 7_000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("PLAYER_PAUSE_LIMIT", String.valueOf(PAUSE_LIMIT_SECONDS)));
    }

    private static void pause(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(end - System.nanoTime());
        }
    }

    @Test
    void aLivePlayerPausedLongerThanTheContainersTimeoutIsKeptAndMovedToTheLiveEdge() throws Exception {
        assertTrue(KEPT_PAUSE_MILLIS > LoopbackTomcat.CONNECTION_TIMEOUT_MILLIS + 2000);
        upstream.route("/live/fast.ts", TestUpstream.liveTs(2_000_000));
        String id = api.register(upstream.url("/live/fast.ts"));
        try (RawPlayer p = RawPlayer.get(playerUrl(id), "127.0.0.1", 4096)) {
            assertEquals(200, p.readHead());
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            seen.write(p.readChunked(200 * 1024));
            pause(KEPT_PAUSE_MILLIS);
            // First what sat in socket and container buffers when it paused, then the jump to the live edge.
            LiveTs.Check check = LiveTs.check(seen.toByteArray(), true);
            for (int read = 0; read < 16 * 1024 * 1024 && check.ok() && check.gaps() == 0; read += 256 * 1024) {
                byte[] after = p.readChunked(256 * 1024);
                assertEquals(256 * 1024, after.length, "the player was cut during its pause");
                seen.write(after);
                check = LiveTs.check(seen.toByteArray(), true);
            }
            assertTrue(check.ok(), check.problem());
            assertTrue(check.gaps() >= 1, "a player back from a pause goes to the live edge, not through the backlog");
        }
    }

    @Test
    void aVodPlayerPausedLongerThanEveryTimeoutGetsTheWholeFile() throws Exception {
        byte[] film = new byte[24 * 1024 * 1024];
        new Random(10).nextBytes(film);
        upstream.route("/movie/long.mp4", TestUpstream.rangedFile(film, "video/mp4"));
        String id = api.register(upstream.url("/movie/long.mp4"));
        try (RawPlayer p = RawPlayer.get(playerUrl(id), "127.0.0.1", 4096)) {
            assertEquals(200, p.readHead());
            assertEquals(String.valueOf(film.length), p.header("content-length"));
            byte[] first = p.readBody(256 * 1024);
            pause(KEPT_PAUSE_MILLIS);
            byte[] rest = p.readBody(film.length - first.length);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.write(first);
            all.write(rest);
            assertEquals(film.length, all.size(), "the player was cut during its pause");
            assertArrayEquals(film, all.toByteArray());
        }
        assertEquals(0, api.get("/streams/" + id).json().getJsonObject("stream").getInt("error_count"),
                "a pause is not a failure of the source");
    }

    @Test
    void aPauseLongerThanTheLimitEndsThePlayer() throws Exception {
        upstream.route("/live/limit.ts", TestUpstream.liveTs(2_000_000));
        String id = api.register(upstream.url("/live/limit.ts"));
        try (RawPlayer p = RawPlayer.get(playerUrl(id), "127.0.0.1", 4096)) {
            assertEquals(200, p.readHead());
            p.readChunked(200 * 1024);
            pause(PAUSE_LIMIT_SECONDS * 1000 + 6_000);
            int got;
            try {
                got = p.readChunked(32 * 1024 * 1024).length; // what was in flight, then the end
            } catch (IOException reset) {
                got = -1;
            }
            assertTrue(got < 32 * 1024 * 1024, "a player paused past the limit is let go");
        }
    }
}
