package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.Player;
import io.sluice.testing.TestUpstream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Management-side peers that misbehave (issue 13: 1, 12): a webhook that answers hundreds of MB, webhooks and
 * test targets that never answer. Streams keep playing, readiness stays up, no request thread waits on them.
 */
class HostilePeersIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private String hookParam(String path) {
        return URLEncoder.encode(upstream.url(path), StandardCharsets.UTF_8);
    }

    /** Issue 13.1: the reply is read to 64 KiB and the connection dropped; nothing else notices. */
    @Test
    void aWebhookAnsweringHundredsOfMegabytesLeavesStreamsAndReadinessAlone() {
        long huge = 300L * 1024 * 1024;
        upstream.route("/huge-hook", TestUpstream.hugeReply(200, huge));
        assertEquals(200, api.post("/webhooks", "{\"url\":\"" + upstream.url("/huge-hook")
                + "\",\"events\":[\"stream_started\"],\"timeout\":30}").status());
        for (int i = 0; i < 3; i++) {
            Api.Reply test = api.send(api.authed("/webhooks/test?webhook_url=" + hookParam("/huge-hook"))
                    .timeout(Duration.ofSeconds(40)).POST(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, test.status(), test.body());
            assertTrue(test.json().getBoolean("success"), test.body()); // the status is what a delivery means
        }
        assertTrue(upstream.bytesSent("/huge-hook") < 3 * 32L * 1024 * 1024,
                "Sluice read " + upstream.bytesSent("/huge-hook") + " bytes of the replies");

        upstream.route("/live/a.ts", TestUpstream.liveTs(200_000));
        String id = api.register(upstream.url("/live/a.ts"));
        try (Player p = Player.play(playerUrl(id), 1024)) {
            Await.until("the stream plays", Duration.ofSeconds(10), () -> p.total() > 100_000);
            assertEquals(200, p.status());
        }
        Api.Reply ready = api.get("/health/ready");
        assertEquals(200, ready.status(), ready.body()); // 503 when the upstream client is down
    }

    /** Issue 13.12: tests that take seconds hold no Tomcat thread while they wait. */
    @Test
    void slowWebhookTestsAndConnectionTestsHoldNoRequestThread() throws Exception {
        upstream.route("/silent-hook", TestUpstream.stall());
        upstream.route("/silent.ts", TestUpstream.stall());
        assertEquals(200, api.post("/webhooks", "{\"url\":\"" + upstream.url("/silent-hook")
                + "\",\"timeout\":4,\"retry_attempts\":0}").status());
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pending.add(http.sendAsync(api.authed("/webhooks/test?webhook_url=" + hookParam("/silent-hook"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
            pending.add(http.sendAsync(api.authed("/test-connection").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + upstream.url("/silent.ts") + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        Await.until("every test waiting on its silent peer", Duration.ofSeconds(5),
                () -> upstream.openConnections("/silent-hook") == 6 && upstream.openConnections("/silent.ts") == 6);
        assertFalse(pending.stream().anyMatch(CompletableFuture::isDone));
        List<String> parked = parkedRequestThreads();
        assertTrue(parked.isEmpty(), "request threads waiting inside Sluice: " + parked);
        // Management stays responsive meanwhile, and every test ends with its answer.
        assertEquals(200, api.get("/streams").status());
        for (var f : pending) {
            HttpResponse<String> r = f.get(15, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"success\":false"), r.body());
        }
    }

    /** Container threads (this JVM runs the embedded Tomcat) that are parked with a Sluice frame on their stack. */
    private static List<String> parkedRequestThreads() {
        List<String> out = new ArrayList<>();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            boolean waiting = t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING;
            boolean container = t.getName().contains("-exec-");
            boolean inSluice = Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("io.sluice."));
            if (waiting && container && inSluice) {
                out.add(t.getName() + " at " + Arrays.stream(stack)
                        .filter(f -> f.getClassName().startsWith("io.sluice.")).findFirst().orElseThrow());
            }
        });
        return out;
    }
}
