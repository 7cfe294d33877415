package io.sluice.it;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Await;
import io.sluice.testing.LiveTs;
import io.sluice.testing.Player;
import io.sluice.testing.TestUpstream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Smoke test of the thin WAR ({@code sluice-payara.war}) on Payara Micro, which supplies Jersey, Weld and
 * Yasson itself. Run by its own failsafe execution; under Tomcat it passes the same way.
 */
class SmokePayaraIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }


    @Test
    void registersAndRelaysOnTheContainersOwnStack() throws Exception {
        byte[] file = LiveTs.packets(0, 10_000);
        upstream.route("/vod/f.ts", TestUpstream.file(file, "video/mp2t"));
        String id = api.register(upstream.url("/vod/f.ts"), "\"metadata\":{\"channel_id\":1}");
        assertEquals(1, api.get("/streams").json().getInt("total"));
        assertEquals("1", api.get("/streams/" + id).json().getJsonObject("stream").getJsonObject("metadata")
                .getString("channel_id"));
        try (Player p = Player.play(playerUrl(id), file.length + 1)) {
            p.ended().get(30, TimeUnit.SECONDS);
            assertArrayEquals(file, p.capturedBytes());
        }
        assertEquals(422, api.post("/streams", "{\"url\":\"file:///etc/passwd\"}").status());
        assertEquals(400, api.post("/streams", "{oops").status());
    }

    @Test
    void probesAndMetricsAnswer() {
        var ready = api.send(api.request("/health/ready").GET().build());
        assertEquals(200, ready.status(), ready.body());
        assertEquals("UP", ready.json().getString("status"));
        var metrics = api.get("/metrics");
        assertEquals(200, metrics.status());
        assertTrue(io.sluice.testing.PrometheusText.parse(metrics.body()).containsKey("sluice_streams"));
    }

    @Test
    void playersShareOneUpstream() throws Exception {
        upstream.route("/live/p.ts", TestUpstream.liveTs(300_000));
        String id = api.register(upstream.url("/live/p.ts"));
        List<Player> players = List.of(Player.play(playerUrl(id) + "?client_id=x", 64 * 1024),
                Player.play(playerUrl(id) + "?client_id=y", 64 * 1024));
        try {
            Await.until("both playing", Duration.ofSeconds(20),
                    () -> players.stream().allMatch(p -> p.captured() == 64 * 1024));
            assertEquals(1, upstream.requests("/live/p.ts"));
            for (Player p : players) {
                assertTrue(LiveTs.check(p.capturedBytes(), false).ok());
            }
        } finally {
            players.forEach(Player::close);
        }
    }
}
