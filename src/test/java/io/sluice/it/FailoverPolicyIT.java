package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.Player;
import io.sluice.testing.TestUpstream;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** The resolver callback (SPEC 9.6) and fail conditions (SPEC 9.7). */
class FailoverPolicyIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("FAIL_CONDITION_STATUSES", "403,404", "INVALID_SOURCE_MINUTES", "1",
                "FAILOVER_RESOLVER_TIMEOUT", "1"));
    }

    private final List<JsonObject> resolverCalls = new CopyOnWriteArrayList<>();

    private TestUpstream.Handler resolver(int status, String body) {
        return ex -> {
            byte[] in = ex.readBody();
            resolverCalls.add(Json.createReader(new StringReader(new String(in, StandardCharsets.UTF_8))).readObject());
            ex.respond(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
        };
    }

    @Test
    void theResolverNamesTheNextSource() throws Exception {
        upstream.route("/live/p.ts", TestUpstream.status(503));
        upstream.route("/live/next.ts", TestUpstream.liveTs(200_000));
        upstream.route("/resolve", resolver(200, "{\"next_url\":\"" + upstream.url("/live/next.ts") + "\"}"));
        String id = api.register(upstream.url("/live/p.ts"), "\"failover_resolver_url\":\""
                + upstream.url("/resolve") + "\",\"metadata\":{\"channel_id\":\"42\"}");
        try (Player p = Player.play(playerUrl(id), 1024)) {
            Await.until("playing from the resolved source", Duration.ofSeconds(10), () -> p.total() > 10_000);
            assertEquals(200, p.status());
        }
        JsonObject call = resolverCalls.get(0);
        assertEquals(upstream.url("/live/p.ts"), call.getString("current_url"));
        assertEquals("42", call.getJsonObject("metadata").getString("channel_id"));
        assertEquals(-1, call.getInt("current_failover_index"));
        assertEquals(503, call.getInt("status_code"));
        assertEquals("http_503", call.getString("reason"));
    }

    @Test
    void aResolverWithoutAnAnswerMeansNoFailover() {
        for (String[] c : new String[][]{{"500", "{}"}, {"200", "{\"next_url\":null}"}, {"200", "not json"},
                {"200", "{\"next_url\":\"file:///etc/passwd\"}"}}) {
            String path = "/live/nf-" + c[0] + "-" + c[1].length() + ".ts";
            upstream.route(path, TestUpstream.status(503));
            upstream.route("/r" + path, resolver(Integer.parseInt(c[0]), c[1]));
            String id = api.register(upstream.url(path), "\"failover_resolver_url\":\"" + upstream.url("/r" + path) + "\"");
            assertEquals(502, api.send(api.request("/stream/" + id).GET().build()).status(), c[1]);
            assertEquals(-1, api.get("/streams/" + id).json().getJsonObject("stream").getInt("current_failover_index"));
        }
        // A resolver slower than FAILOVER_RESOLVER_TIMEOUT (1 s).
        upstream.route("/live/slow.ts", TestUpstream.status(503));
        upstream.route("/slow-resolver", TestUpstream.stall());
        String id = api.register(upstream.url("/live/slow.ts"), "\"failover_resolver_url\":\"" + upstream.url("/slow-resolver") + "\"");
        long t0 = System.nanoTime();
        assertEquals(502, api.send(api.request("/stream/" + id).GET().build()).status());
        assertTrue((System.nanoTime() - t0) / 1e9 < 5);
    }

    /** Issue 13.4: a resolver naming only failing URLs is asked a bounded number of times, at a pace. */
    @Test
    void aResolverNamingOnlyFailingUrlsIsWalkedBoundedAndPaced() {
        upstream.routePrefix("/live/dead-", TestUpstream.status(503));
        List<Long> calls = new CopyOnWriteArrayList<>();
        upstream.route("/endless-resolver", ex -> {
            ex.readBody();
            calls.add(System.nanoTime());
            ex.respond(200, "application/json", ("{\"next_url\":\"" + upstream.url("/live/dead-" + calls.size()
                    + ".ts") + "\"}").getBytes(StandardCharsets.UTF_8));
        });
        String id = api.register(upstream.url("/live/dead-0.ts"), "\"failover_resolver_url\":\""
                + upstream.url("/endless-resolver") + "\"");
        try (Player p = Player.play(playerUrl(id), 1024)) {
            Await.until("the player is answered once the walk ends", Duration.ofSeconds(40), () -> p.status() > 0);
            assertEquals(502, p.status());
        }
        long settled = Await.settled("no more resolver calls", Duration.ofSeconds(20), Duration.ofSeconds(3),
                calls::size);
        assertEquals(10, settled, "one episode's bound of resolved sources");
        // The first at once, then at least half a second apart.
        for (int i = 2; i < calls.size(); i++) {
            assertTrue(calls.get(i) - calls.get(i - 1) >= 400_000_000L, "call " + i + " came too soon");
        }
        assertEquals(10, api.get("/events?type=failover_triggered&stream_id=" + id).json().getInt("total"));
    }

    @Test
    void aSourceAnswering403IsSkippedListedAndClearable() {
        upstream.route("/live/forbidden.ts", TestUpstream.status(403));
        upstream.route("/live/ok.ts", TestUpstream.liveTs(200_000));
        String first = api.register(upstream.url("/live/forbidden.ts"));
        assertEquals(502, api.send(api.request("/stream/" + first).GET().build()).status());
        Api.Reply listed = api.get("/sources/invalid");
        assertEquals(1, listed.json().getInt("total"), listed.body());
        JsonObject mark = listed.json().getJsonArray("sources").getJsonObject(0);
        assertEquals(upstream.url("/live/forbidden.ts"), mark.getString("url"));
        assertEquals(403, mark.getInt("status_code"));

        // A second stream lists the forbidden URL as its first backup: failover skips it.
        upstream.route("/live/down.ts", TestUpstream.status(500));
        String second = api.register(upstream.url("/live/down.ts"), "\"failover_urls\":[\""
                + upstream.url("/live/forbidden.ts") + "\",\"" + upstream.url("/live/ok.ts") + "\"]");
        int forbiddenBefore = upstream.requests("/live/forbidden.ts");
        try (Player p = Player.play(playerUrl(second), 1024)) {
            Await.until("playing from the last backup", Duration.ofSeconds(10), () -> p.total() > 10_000);
        }
        assertEquals(forbiddenBefore, upstream.requests("/live/forbidden.ts"), "the invalid source was skipped");
        assertEquals(1, api.get("/streams/" + second).json().getJsonObject("stream").getInt("current_failover_index"));
        assertTrue(api.get("/events?type=source_marked_invalid").json().getInt("total") >= 1);

        assertEquals(200, api.delete("/sources/invalid").status());
        assertEquals(0, api.get("/sources/invalid").json().getInt("total"));
    }
}
