package io.sluice.it;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.streams.StreamIds;
import io.sluice.testing.Api;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The management API over HTTP: m3u-proxy shapes, ids, auth matrix, bad input, ROOT_PATH. */
class StreamsApiIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }


    @Test
    void registerListGetDelete() {
        String url = upstream.url("/live/user/pass/1.ts");
        Api.Reply created = api.post("/streams", """
                {"url":"%s","failover_urls":["%s"],"metadata":{"channel_id":7,"playlist":"p1"}}"""
                .formatted(url, upstream.url("/backup.ts")));
        assertEquals(200, created.status(), created.body());
        JsonObject c = created.json();
        String id = c.getString("stream_id");
        assertEquals(StreamIds.of(url), id);
        assertEquals(url, c.getString("primary_url"));
        assertEquals("direct", c.getString("stream_type"));
        assertEquals("/stream/" + id, c.getString("stream_endpoint"));
        assertEquals(api.base() + "/stream/" + id, c.getString("direct_url"));
        assertEquals(api.base() + "/stream/" + id, c.getString("playlist_url"), "m3u-proxy: both URLs, always strings");
        assertEquals("7", c.getJsonObject("metadata").getString("channel_id"));
        assertEquals(1, c.getJsonArray("failover_urls").size());

        JsonObject list = api.get("/streams").json();
        assertEquals(1, list.getInt("total"));
        JsonObject stats = list.getJsonArray("streams").getJsonObject(0);
        for (String key : List.of("stream_id", "original_url", "current_url", "user_agent", "client_count",
                "total_bytes_served", "total_segments_served", "error_count", "is_active", "has_failover",
                "failover_urls", "failover_resolver_url", "current_failover_index", "failover_attempts",
                "last_failover_time", "stream_type", "created_at", "last_access", "metadata", "sticky")) {
            assertTrue(stats.containsKey(key), "StreamStats lacks " + key);
        }
        assertEquals(-1, stats.getInt("current_failover_index"));
        assertTrue(stats.getBoolean("has_failover"));
        assertTrue(stats.getString("created_at").matches("\\d{4}-\\d\\d-\\d\\dT.*(Z|[+-]\\d\\d:\\d\\d)"));

        JsonObject one = api.get("/streams/" + id).json();
        assertEquals(id, one.getJsonObject("stream").getString("stream_id"));
        assertEquals(0, one.getInt("client_count"));
        assertEquals(0, one.getJsonArray("clients").size());

        Api.Reply deleted = api.delete("/streams/" + id);
        assertEquals(200, deleted.status());
        assertEquals("Stream " + id + " deleted", deleted.json().getString("message"));
        assertEquals(404, api.get("/streams/" + id).status());
        assertEquals(404, api.delete("/streams/" + id).status());
        assertEquals("Stream not found", api.get("/streams/" + id).detail());
    }

    @Test
    void hlsRegistrationPointsAtThePlaylist() {
        JsonObject c = api.post("/streams", "{\"url\":\"" + upstream.url("/ch/index.m3u8") + "\"}").json();
        String id = c.getString("stream_id");
        assertEquals("hls", c.getString("stream_type"));
        assertEquals(api.base() + "/hls/" + id + "/playlist.m3u8", c.getString("playlist_url"));
    }

    @Test
    void publicUrlsHonourForwardedHeaders() {
        Api.Reply r = api.send(api.authed("/streams").header("Content-Type", "application/json")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "tv.example.org")
                .header("X-Forwarded-Prefix", "/proxy")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + upstream.url("/a.ts") + "\"}")).build());
        String direct = r.json().getString("direct_url");
        assertTrue(direct.startsWith("https://tv.example.org/proxy/"), direct);
    }

    @Test
    void twentyConcurrentIdenticalRegistrationsMakeOneStream() throws Exception {
        String url = upstream.url("/same.ts");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<String>> jobs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                jobs.add(() -> api.register(url));
            }
            Set<String> ids = new HashSet<>();
            for (Future<String> f : pool.invokeAll(jobs)) {
                ids.add(f.get());
            }
            assertEquals(Set.of(StreamIds.of(url)), ids);
            assertEquals(1, api.get("/streams").json().getInt("total"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reRegistrationWithoutPlayersReplacesSettings() {
        String url = upstream.url("/r.ts");
        String id = api.register(url, "\"user_agent\":\"First\"");
        api.register(url, "\"user_agent\":\"Second\",\"metadata\":{\"k\":\"v\"}");
        JsonObject s = api.get("/streams/" + id).json().getJsonObject("stream");
        assertEquals("Second", s.getString("user_agent"));
        assertEquals("v", s.getJsonObject("metadata").getString("k"));
    }

    @Test
    void routesAlsoAnswerUnderRootPath() {
        String id = api.register(upstream.url("/rp.ts"));
        assertEquals(200, api.get("/m3u-proxy/streams/" + id).status());
        assertEquals(1, api.get("/m3u-proxy/streams").json().getInt("total"));
    }

    /** The auth matrix of SPEC 3.1: each way of presenting a token, and each way of getting it wrong. */
    @Test
    void authMatrix() {
        String url = "/streams";
        Api.Reply missing = api.send(api.request(url).GET().build());
        assertEquals(401, missing.status());
        assertEquals("API token required. Provide token via X-API-Token header or api_token query parameter.",
                missing.detail());
        assertEquals("Bearer", missing.headers().firstValue("WWW-Authenticate").orElse(""));

        Api.Reply wrong = api.send(api.request(url).header("X-API-Token", "nope").GET().build());
        assertEquals(403, wrong.status());
        assertEquals("Invalid API token", wrong.detail());

        assertEquals(200, api.send(api.request(url).header("x-api-token", Api.TOKEN).GET().build()).status(),
                "header name is case-insensitive");
        assertEquals(200, api.send(api.request(url + "?api_token=" + Api.TOKEN).GET().build()).status());
        assertEquals(200, api.send(api.request(url).header("Authorization", "Bearer " + Api.TOKEN).GET().build())
                .status());
        assertEquals(403, api.send(api.request(url + "?api_token=" + Api.TOKEN)
                .header("X-API-Token", "wrong").GET().build()).status(), "the header wins over the query");
        assertEquals(403, api.send(api.request(url).header("Authorization", "Bearer wrong").GET().build()).status());
        assertEquals(401, api.send(api.request(url + "?api_token=").GET().build()).status());

        Api.Reply unauthCreate = api.send(api.request(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://x.tv/a.ts\"}")).build());
        assertEquals(401, unauthCreate.status(), "stream creation needs the token");
        assertEquals(401, api.send(api.request("/m3u-proxy/streams").GET().build()).status());
        assertFalse(missing.body().contains(Api.TOKEN));
    }

    @Test
    void playerRoutesArePublic() {
        String id = api.register(upstream.url("/pub.ts"));
        Api.Reply head = api.send(api.request("/stream/" + id).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(200, head.status());
        assertEquals(0, upstream.requests("/pub.ts"), "HEAD is answered without opening the upstream");
        assertEquals(404, api.send(api.request("/stream/0123456789abcdef0123456789abcdef").GET().build()).status());
    }

    /** Bad input over HTTP: a clear 4xx with a detail, never a 500 (the full matrix is StreamRequestParserTest). */
    @Test
    void badInputMatrix() {
        record Case(String body, String contentType, int status, String detailPart) {
        }
        List<Case> cases = List.of(
                new Case("{not json", "application/json", 400, "not valid JSON"),
                new Case("", "application/json", 400, "not valid JSON"),
                new Case("[1,2]", "application/json", 422, "JSON object"),
                new Case("{}", "application/json", 422, "url is required"),
                new Case("{\"url\":42}", "application/json", 422, "url must be a string"),
                new Case("{\"url\":\"file:///etc/passwd\"}", "application/json", 422, "http or https"),
                new Case("{\"url\":\"http://a.tv/x\",\"metadata\":{\"n\":{\"deep\":1}}}", "application/json", 422,
                        "metadata.n"),
                new Case("{\"url\":\"http://a.tv/x\"}", "text/plain", 200, null),
                new Case("{\"url\":\"" + "a".repeat(300_000) + "\"}", "application/json", 413, "too large"));
        for (Case c : cases) {
            Api.Reply r = api.send(api.authed("/streams").header("Content-Type", c.contentType())
                    .POST(HttpRequest.BodyPublishers.ofString(c.body())).build());
            assertEquals(c.status(), r.status(), c.body().length() > 80 ? "huge body" : c.body());
            if (c.detailPart() != null) {
                assertTrue(r.detail().contains(c.detailPart()), r.body());
                assertFalse(r.body().contains("Exception"), r.body());
            }
        }
        Api.Reply notFound = api.get("/no/such/route");
        assertEquals(404, notFound.status());
        assertEquals("Not Found", notFound.detail());
        Api.Reply wrongMethod = api.send(api.authed("/streams").PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(405, wrongMethod.status());
    }
}
