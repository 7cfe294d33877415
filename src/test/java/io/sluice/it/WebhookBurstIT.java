package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Await;
import jakarta.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * A burst past 10,000 events: the healthy webhook gets every one in order; a stalled neighbour keeps at most
 * WEBHOOK_QUEUE_SIZE (10,000) and drops, and counts, the rest.
 */
class WebhookBurstIT extends SluiceIT {
    private static final int EVENTS = 10_100;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("WEBHOOK_QUEUE_SIZE", "10000"));
    }

    @Test
    void aBurstArrivesInOrderWithinBoundedMemory() throws Exception {
        List<String> urls = new CopyOnWriteArrayList<>();
        upstream.route("/fast", ex -> {
            String raw = new String(ex.readBody(), StandardCharsets.UTF_8);
            int at = raw.indexOf("\"primary_url\":\"");
            urls.add(raw.substring(at + 15, raw.indexOf('"', at + 15)));
            ex.respond(204, null, new byte[0]);
        });
        upstream.route("/stuck", ex -> ex.stallUntilClosed());
        api.post("/webhooks", "{\"url\":\"" + upstream.url("/fast") + "\",\"events\":[\"stream_started\"]}");
        api.post("/webhooks", "{\"url\":\"" + upstream.url("/stuck") + "\",\"events\":[\"stream_started\"],"
                + "\"timeout\":120,\"retry_attempts\":0}");

        HttpClient http = HttpClient.newHttpClient();
        List<String> expected = new ArrayList<>();
        long heapBefore = usedHeapAfterGc();
        for (int i = 0; i < EVENTS; i++) {
            String url = upstream.url("/burst/" + i + ".ts");
            expected.add(url);
            HttpResponse<Void> r = http.send(api.authed("/streams").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\"}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(200, r.statusCode());
        }
        Await.until("all " + EVENTS + " delivered", Duration.ofSeconds(60), () -> urls.size() >= EVENTS);
        assertEquals(expected, urls, "every event once, in firing order");
        long heapGrowth = usedHeapAfterGc() - heapBefore;
        JsonObject stuck = api.get("/webhooks").json().getJsonArray("webhooks").stream()
                .map(v -> v.asJsonObject()).filter(w -> w.getString("url").endsWith("/stuck")).findFirst().orElseThrow();
        System.out.printf("Webhook burst: %d events delivered in order; stuck neighbour queued %d, dropped %d; "
                + "heap growth after GC %.1f MiB (10,000 registered streams included)%n", urls.size(),
                stuck.getInt("queued"), stuck.getInt("dropped"), heapGrowth / 1048576.0);
        assertTrue(stuck.getInt("queued") <= 10_000, "the stuck webhook's queue stays within its bound");
        assertTrue(stuck.getInt("dropped") >= EVENTS - 10_000 - 1, "what did not fit was dropped and counted");
        // The registry itself holds the 10,000 streams; the queues add at most 10,000 small payloads.
        assertTrue(heapGrowth < 64L * 1024 * 1024, "heap grew by " + heapGrowth);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
