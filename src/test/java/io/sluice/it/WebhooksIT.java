package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.Player;
import io.sluice.testing.TestUpstream;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Webhooks (SPEC 10): payloads and signatures, isolation from slow and dead neighbours, retries, bursts. */
class WebhooksIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("WEBHOOK_RETRY_BASE_DELAY", "0.1"));
    }

    /** A loopback receiver: what arrived, when, with which headers. */
    record Received(JsonObject body, String raw, Map<String, String> headers, long atNanos) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();

    private TestUpstream.Handler receiver(int status) {
        return ex -> {
            String raw = new String(ex.readBody(), StandardCharsets.UTF_8);
            received.add(new Received(Json.createReader(new StringReader(raw)).readObject(), raw, ex.headers,
                    System.nanoTime()));
            ex.respond(status, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        };
    }

    private void register(String url, String extra) {
        Api.Reply r = api.post("/webhooks", "{\"url\":\"" + url + "\"" + extra + "}");
        assertEquals(200, r.status(), r.body());
    }

    private List<Received> of(String type) {
        return received.stream().filter(r -> r.body().getString("event_type").equals(type)).toList();
    }

    @Test
    void eventsArriveWithTheirPayloadAndAVerifiableSignature() throws Exception {
        upstream.route("/hook", receiver(200));
        register(upstream.url("/hook"), ",\"secret\":\"s3cret\",\"headers\":{\"Authorization\":\"Bearer x\"}");
        upstream.route("/live/w.ts", TestUpstream.liveTs(200_000));
        upstream.route("/live/w2.ts", TestUpstream.liveTs(200_000));
        String id = api.register(upstream.url("/live/w.ts"), "\"failover_urls\":[\"" + upstream.url("/live/w2.ts")
                + "\"],\"metadata\":{\"channel_id\":\"9\"}");
        try (Player p = Player.play(playerUrl(id) + "?client_id=tv1", 1024)) {
            Await.until("playing", Duration.ofSeconds(10), () -> p.total() > 0);
            assertEquals(200, api.post("/streams/" + id + "/failover", "").status());
            Await.until("failover delivered", Duration.ofSeconds(5), () -> !of("failover_triggered").isEmpty());
        }
        api.delete("/streams/" + id);
        Await.until("stop delivered", Duration.ofSeconds(5),
                () -> !of("stream_stopped").isEmpty() && !of("client_disconnected").isEmpty());

        for (Received r : received) {
            JsonObject b = r.body();
            for (String key : List.of("event_id", "event_type", "stream_id", "timestamp", "data")) {
                assertTrue(b.containsKey(key), key + " missing in " + r.raw());
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(r.raw().getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, r.headers().get("x-sluice-signature"), "HMAC of the body");
            assertEquals("Bearer x", r.headers().get("authorization"));
        }
        JsonObject failover = of("failover_triggered").get(0).body().getJsonObject("data");
        assertEquals(upstream.url("/live/w.ts"), failover.getString("old_url"));
        assertEquals(upstream.url("/live/w2.ts"), failover.getString("new_url"));
        assertEquals(0, failover.getInt("failover_index"));
        assertEquals(1, failover.getInt("attempt_number"));
        assertEquals("manual", failover.getString("reason"));
        assertEquals(1, failover.getInt("client_count"));
        assertEquals(1, of("stream_started").size());
        assertEquals(1, of("client_connected").size(), "once per player session");
        assertEquals("tv1", of("client_connected").get(0).body().getJsonObject("data").getString("client_id"));
        assertEquals("manual_deletion", of("stream_stopped").get(0).body().getJsonObject("data").getString("reason"));
        assertFalse(api.get("/webhooks").body().contains("Bearer x"), "header values are not shown");
        assertFalse(api.get("/webhooks").body().contains("s3cret"));
    }

    @Test
    void aSlowAndADeadWebhookDelayNeitherAHealthyOneNorThePlayers() throws Exception {
        upstream.route("/slow", ex -> {
            try {
                Thread.sleep(10_000); // a webhook that takes 10 s per request
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.respond(200, "application/json", "{}".getBytes());
        });
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        upstream.route("/healthy", receiver(200));
        register(upstream.url("/slow"), ",\"timeout\":30,\"retry_attempts\":0");
        register("http://127.0.0.1:" + deadPort + "/down", ",\"retry_attempts\":3");
        register(upstream.url("/healthy"), "");
        upstream.route("/live/p.ts", TestUpstream.liveTs(300_000));
        String playing = api.register(upstream.url("/live/p.ts"));
        try (Player p = Player.play(playerUrl(playing), 1024)) {
            Await.until("playing", Duration.ofSeconds(10), () -> p.total() > 0);
            long worst = 0;
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                api.register(upstream.url("/live/quiet-" + i + ".ts"));
                String streamUrl = upstream.url("/live/quiet-" + i + ".ts");
                Await.until("the healthy webhook got stream " + i, Duration.ofSeconds(2), () -> received.stream()
                        .anyMatch(r -> r.body().getJsonObject("data").getString("primary_url", "").equals(streamUrl)));
                long at = received.stream().filter(r -> r.body().getJsonObject("data")
                        .getString("primary_url", "").equals(streamUrl)).findFirst().orElseThrow().atNanos();
                worst = Math.max(worst, (at - t0) / 1_000_000);
            }
            System.out.printf("Webhook delivery with a slow and a dead neighbour: worst %d ms over 20 events%n", worst);
            assertTrue(worst < 100, "the healthy webhook waited " + worst + " ms");
            long bytes = p.total();
            Await.until("the player still streams", Duration.ofSeconds(2), () -> p.total() > bytes + 50_000);
        }
    }

    @Test
    void aFailingWebhookIsRetriedWithGrowingDelaysThenCounted() {
        upstream.route("/broken", receiver(500));
        register(upstream.url("/broken"), ",\"retry_attempts\":3,\"events\":[\"stream_started\"]");
        api.register(upstream.url("/live/x.ts"));
        Await.until("four attempts", Duration.ofSeconds(5), () -> upstream.requests("/broken") == 4);
        List<Long> t = upstream.arrivals("/broken");
        long g1 = (t.get(1) - t.get(0)) / 1_000_000;
        long g2 = (t.get(2) - t.get(1)) / 1_000_000;
        long g3 = (t.get(3) - t.get(2)) / 1_000_000;
        assertTrue(g1 < g2 && g2 < g3, "delays grow: " + g1 + ", " + g2 + ", " + g3 + " ms");
        Await.until("counted as failed", Duration.ofSeconds(2), () -> api.get("/webhooks").json()
                .getJsonArray("webhooks").stream().map(v -> v.asJsonObject())
                .anyMatch(w -> w.getString("url").endsWith("/broken") && w.getInt("failed") == 1));
        assertEquals(200, api.send(api.authed("/webhooks?webhook_url=" + upstream.url("/broken"))
                .DELETE().build()).status());
        assertEquals(0, api.get("/webhooks").json().getInt("total"));
    }

    @Test
    void badRegistrationsAre422() {
        assertEquals(422, api.post("/webhooks", "{\"url\":\"ftp://x\"}").status());
        assertEquals(422, api.post("/webhooks", "{\"url\":\"http://a.b/\",\"events\":[\"nope\"]}").status());
        assertEquals(422, api.post("/webhooks", "{\"url\":\"http://a.b/\",\"timeout\":\"soon\"}").status());
        assertEquals(400, api.post("/webhooks", "{oops").status());
        assertEquals(404, api.send(api.authed("/webhooks?webhook_url=http://none/").DELETE().build()).status());
    }

    @Test
    void theTestRouteReportsDelivery() {
        upstream.route("/t", receiver(200));
        register(upstream.url("/t"), "");
        Api.Reply r = api.send(api.authed("/webhooks/test?webhook_url=" + upstream.url("/t"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, r.status());
        assertTrue(r.json().getBoolean("success"));
        assertEquals("webhook_test", received.get(0).body().getString("event_type"));
    }
}
