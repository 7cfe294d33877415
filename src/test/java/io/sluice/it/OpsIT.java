package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.Player;
import io.sluice.testing.PrometheusText;
import io.sluice.testing.TestUpstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Health probes and Prometheus metrics after a scripted scenario (SPEC 13). */
class OpsIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }

    @Test
    void probesArePublicAndInTheMicroProfileShape() {
        Api.Reply live = api.send(api.request("/health/live").GET().build());
        assertEquals(200, live.status());
        assertEquals("UP", live.json().getString("status"));
        Api.Reply ready = api.send(api.request("/health/ready").GET().build());
        assertEquals(200, ready.status());
        assertEquals(3, ready.json().getJsonArray("checks").size());
        assertEquals(401, api.send(api.request("/metrics").GET().build()).status(), "metrics need the token");
        assertEquals("healthy", api.get("/health").json().getString("status"));
    }

    @Test
    void metricsCountTheScenarioExactly() throws Exception {
        upstream.route("/hook", ex -> {
            ex.readBody();
            ex.respond(200, "application/json", "{}".getBytes());
        });
        api.post("/webhooks", "{\"url\":\"" + upstream.url("/hook") + "\",\"events\":[\"failover_triggered\"]}");
        upstream.route("/live/m.ts", TestUpstream.liveTs(200_000));
        upstream.route("/live/m2.ts", TestUpstream.liveTs(200_000));
        String id = api.register(upstream.url("/live/m.ts"), "\"failover_urls\":[\"" + upstream.url("/live/m2.ts") + "\"]");
        List<Player> players = List.of(Player.play(playerUrl(id) + "?client_id=1", 1024),
                Player.play(playerUrl(id) + "?client_id=2", 1024), Player.play(playerUrl(id) + "?client_id=3", 1024));
        try {
            Await.until("three playing", Duration.ofSeconds(10), () -> players.stream().allMatch(p -> p.total() > 0));
            assertEquals(200, api.post("/streams/" + id + "/failover", "").status());
            Await.until("webhook delivered", Duration.ofSeconds(5), () -> upstream.requests("/hook") == 1);
            Await.until("delivery counted", Duration.ofSeconds(2), () -> PrometheusText.value(
                    PrometheusText.parse(api.get("/metrics").body()), "sluice_webhook_deliveries_total") == 1.0);

            Api.Reply scrape = api.get("/metrics");
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            Map<String, Double> m = PrometheusText.parse(scrape.body());
            assertEquals(1.0, PrometheusText.value(m, "sluice_streams_started_total"));
            assertEquals(1.0, PrometheusText.value(m, "sluice_streams"));
            assertEquals(3.0, PrometheusText.value(m, "sluice_clients_connected_total"));
            assertEquals(3.0, PrometheusText.value(m, "sluice_clients"));
            assertEquals(1.0, PrometheusText.value(m, "sluice_failovers_total{manual=\"true\",reason=\"manual\""));
            assertEquals(1.0, PrometheusText.value(m, "sluice_upstream_connections"));
            assertEquals(1.0, PrometheusText.value(m, "sluice_webhook_deliveries_total"));
            assertEquals(0.0, PrometheusText.value(m, "sluice_webhook_drops_total"));
            assertTrue(PrometheusText.value(m, "sluice_served_bytes_total") > 0);
            assertEquals(3.0, PrometheusText.value(m, "sluice_player_first_byte_seconds_count"), "one per player");
            assertEquals(3.0, PrometheusText.value(m, "sluice_player_first_byte_seconds_bucket{le=\"+Inf\"}"));
        } finally {
            players.forEach(Player::close);
        }
    }
}
