package io.sluice.it;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Await;
import io.sluice.testing.LiveTs;
import io.sluice.testing.Player;
import io.sluice.testing.TestUpstream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Players that stall, leave or are stopped, and what that does to the upstream (IT settings: STREAM_TIMEOUT=2). */
class PlayerLifecycleIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }

    private static final int RATE = 1_000_000;

    @Test
    void aPlayerThatStopsReadingSlowsNobody() throws Exception {
        upstream.route("/live/sport.ts", TestUpstream.liveTs(RATE));
        String id = api.register(upstream.url("/live/sport.ts"));
        try (Player a = Player.play(playerUrl(id) + "?client_id=a", 1024);
             Player b = Player.play(playerUrl(id) + "?client_id=b", 1024);
             Player stalled = Player.play(playerUrl(id) + "?client_id=stalled", 24 * 1024 * 1024)) {
            Await.until("all three playing", Duration.ofSeconds(10),
                    () -> a.total() > 0 && b.total() > 0 && stalled.total() > 0);
            stalled.pause();

            long a0 = a.total();
            long b0 = b.total();
            long up0 = upstream.bytesSent("/live/sport.ts");
            long t0 = System.nanoTime();
            Await.until("10 s of playback", Duration.ofSeconds(12), () -> System.nanoTime() - t0 >= 10_000_000_000L);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double expected = RATE * seconds;
            double aRate = (a.total() - a0) / expected;
            double bRate = (b.total() - b0) / expected;
            double upRate = (upstream.bytesSent("/live/sport.ts") - up0) / expected;
            assertTrue(upRate > 0.9, "upstream ran at " + upRate + " of its pace");
            assertTrue(aRate > 0.9, "player a got " + aRate + " of the live rate");
            assertTrue(bRate > 0.9, "player b got " + bRate + " of the live rate");
            assertEquals(1, upstream.requests("/live/sport.ts"));

            // Back to reading: it was moved to the live edge, on a packet boundary.
            long before = stalled.total();
            stalled.resume();
            Await.until("the stalled player reads again", Duration.ofSeconds(10),
                    () -> stalled.total() > before + 8L * 1024 * 1024);
            LiveTs.Check check = LiveTs.check(stalled.capturedBytes(), true);
            assertTrue(check.ok(), check.problem());
            assertTrue(check.gaps() >= 1, "the stalled player was skipped forward");
        }
    }

    @Test
    void upstreamIsReleasedWithinStreamTimeoutAfterTheLastPlayerLeaves() throws Exception {
        upstream.route("/live/a.ts", TestUpstream.liveTs(200_000));
        String id = api.register(upstream.url("/live/a.ts"));
        Player p = Player.play(playerUrl(id), 1024);
        Await.until("playing", Duration.ofSeconds(10), () -> p.total() > 0);
        assertEquals(1, api.clientCount(id));
        p.close();
        long left = System.nanoTime();
        Await.until("the player's disconnect is noticed", Duration.ofSeconds(1), () -> api.clientCount(id) == 0);
        double noticed = (System.nanoTime() - left) / 1e9;
        // STREAM_TIMEOUT is 2 s in the ITs; the relay clock adds at most a tick.
        Await.until("upstream released (disconnect noticed after " + noticed + " s)", Duration.ofMillis(2000 + 500),
                () -> upstream.openConnections("/live/a.ts") == 0);
        double released = (System.nanoTime() - left) / 1e9;
        assertTrue(released >= 1.5, "kept for STREAM_TIMEOUT in case the player comes back, released after "
                + released + " s");
    }

    @Test
    void aPlayerReturningWithinStreamTimeoutReusesTheUpstream() throws Exception {
        upstream.route("/live/b.ts", TestUpstream.liveTs(200_000));
        String id = api.register(upstream.url("/live/b.ts"));
        Player first = Player.play(playerUrl(id), 1024);
        Await.until("playing", Duration.ofSeconds(10), () -> first.total() > 0);
        first.close();
        Await.until("disconnect noticed", Duration.ofSeconds(1), () -> api.clientCount(id) == 0);
        try (Player again = Player.play(playerUrl(id), 64 * 1024)) {
            Await.until("playing again", Duration.ofSeconds(10), () -> again.captured() == 64 * 1024);
            assertEquals(1, upstream.requests("/live/b.ts"));
            assertTrue(LiveTs.check(again.capturedBytes(), false).ok());
        }
    }

    @Test
    void deletingAStreamEndsItsPlayersAndUpstreamWithinOneSecond() throws Exception {
        upstream.route("/live/c.ts", TestUpstream.liveTs(200_000));
        String id = api.register(upstream.url("/live/c.ts"));
        List<Player> players = List.of(Player.play(playerUrl(id) + "?client_id=1", 1024),
                Player.play(playerUrl(id) + "?client_id=2", 1024), Player.play(playerUrl(id) + "?client_id=3", 1024));
        try {
            Await.until("playing", Duration.ofSeconds(10), () -> players.stream().allMatch(p -> p.total() > 0));
            assertEquals(200, api.delete("/streams/" + id).status());
            Await.until("players ended", Duration.ofSeconds(1), () -> players.stream().allMatch(p -> p.ended().isDone()));
            Await.until("upstream closed", Duration.ofSeconds(1), () -> upstream.openConnections("/live/c.ts") == 0);
            assertEquals(404, api.send(api.request("/stream/" + id).GET().build()).status());
        } finally {
            players.forEach(Player::close);
        }
    }
}
