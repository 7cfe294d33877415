package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.Player;
import io.sluice.testing.TestUpstream;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** The routes an M3U Editor drives (SPEC 3.2, 11, 13), as m3u-proxy behaves. */
class EditorRoutesIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        // Streams here wait unwatched while others play: their period of use must outlast the test.
        return war(Map.of("STREAM_TIMEOUT", "30"));
    }

    private String stream(String path, String playlist, String channel) {
        upstream.route(path, TestUpstream.liveTs(200_000));
        return api.register(upstream.url(path), "\"metadata\":{\"playlist_id\":\"" + playlist
                + "\",\"channel_id\":\"" + channel + "\"}");
    }

    private static List<String> ids(JsonObject o, String key) {
        return o.getJsonArray(key).stream().map(v -> v.getValueType() == jakarta.json.JsonValue.ValueType.STRING
                ? ((jakarta.json.JsonString) v).getString() : v.asJsonObject().getString("stream_id")).toList();
    }

    @Test
    void metadataRoutesFindCountAndStopLikeM3uProxy() throws Exception {
        String s1 = stream("/p1/1.ts", "p1", "1");
        String s2 = stream("/p1/2.ts", "p1", "2");
        String s3 = stream("/p1/3.ts", "p1", "3");
        stream("/p2/1.ts", "p2", "4");
        try (Player a1 = Player.play(playerUrl(s1) + "?client_id=a", 1024);
             Player a2 = Player.play(playerUrl(s2) + "?client_id=a", 1024);
             Player b2 = Player.play(playerUrl(s2) + "?client_id=b", 1024)) {
            Await.until("playing", Duration.ofSeconds(10), () -> a1.total() > 0 && a2.total() > 0 && b2.total() > 0);

            JsonObject all = api.get("/streams/by-metadata?field=playlist_id&value=p1&active_only=0").json();
            assertEquals(3, all.getInt("total_matching"));
            assertEquals(List.of(s1, s2, s3), ids(all, "matching_streams"));
            assertEquals(3, all.getInt("total"), "Sluice's earlier field stays");
            assertEquals(2, api.get("/streams/by-metadata?field=playlist_id&value=p1").json()
                    .getInt("total_matching"), "m3u-proxy's default: active only");
            assertEquals(2, api.get("/streams/by-metadata?field=playlist_id&value=p1&active_only=true").json()
                    .getInt("total_matching"));
            assertEquals(422, api.get("/streams/by-metadata?field=playlist_id&value=p1&active_only=maybe")
                    .status());
            JsonObject counts = api.get("/streams/counts-by-metadata?field=playlist_id&values=p1,p2&active_only=true")
                    .json();
            assertEquals("playlist_id", counts.getString("field"));
            assertEquals(2, counts.getJsonObject("counts").getInt("p1"));
            assertEquals(0, counts.getJsonObject("counts").getInt("p2"));

            assertEquals(422, api.delete("/streams/by-metadata?field=playlist_id&value=p1&client_id=" + "x".repeat(129))
                    .status());
            assertEquals(422, api.get("/streams/by-metadata?field=playlist_id").status());

            // Player a switches channel: its own streams go, b's stream stays (force=false).
            JsonObject stop = api.delete("/streams/by-metadata?field=playlist_id&value=p1&force=false&client_id=a")
                    .json();
            assertEquals(List.of(s1, s3), ids(stop, "deleted_streams"));
            JsonObject skipped = stop.getJsonArray("skipped_streams").getJsonObject(0);
            assertEquals(s2, skipped.getString("stream_id"));
            assertEquals("has_active_clients", skipped.getString("reason"));
            Await.until("a's player ended", Duration.ofSeconds(2), () -> a1.ended().isDone());

            JsonObject forced = api.delete("/streams/by-metadata?field=playlist_id&value=p1&force=true").json();
            assertEquals(List.of(s2), ids(forced, "deleted_streams"));
        }
        List<JsonObject> stopped = api.get("/events?type=stream_stopped").json().getJsonArray("events").stream()
                .map(v -> v.asJsonObject()).filter(e -> List.of(s1, s2, s3).contains(e.getString("stream_id")))
                .toList();
        assertEquals(3, stopped.size());
        assertTrue(stopped.stream().allMatch(e -> e.getJsonObject("data").getString("reason")
                .equals("metadata_filter_deletion")), stopped.toString());
    }

    @Test
    void oldestByMetadataStopsExactlyTheOldestMatch() {
        String first = stream("/o/1.ts", "limited", "10");
        String second = stream("/o/2.ts", "limited", "11");
        String third = stream("/o/3.ts", "limited", "12");
        JsonObject r = api.delete("/streams/oldest-by-metadata?field=playlist_id&value=limited").json();
        assertEquals(first, r.getString("deleted_stream"));
        assertEquals(first, r.getString("stopped_stream_id"));
        assertEquals(1, r.getInt("deleted_count"));
        assertEquals(404, api.get("/streams/" + first).status());
        JsonObject excluded = api.delete("/streams/oldest-by-metadata?field=playlist_id&value=limited"
                + "&exclude_channel_id=11").json();
        assertEquals(third, excluded.getString("deleted_stream"));
        assertEquals(200, api.get("/streams/" + second).status());
        Api.Reply none = api.delete("/streams/oldest-by-metadata?field=playlist_id&value=none");
        assertEquals(200, none.status(), "m3u-proxy answers 200 with deleted_count 0");
        assertEquals(0, none.json().getInt("deleted_count"));
        assertTrue(none.json().isNull("deleted_stream"));
    }

    @Test
    void statusStatsAndInfoShowRealFiguresAndNoSecrets() throws Exception {
        String id = stream("/s/1.ts", "p", "1");
        try (Player p = Player.play(playerUrl(id) + "?client_id=viewer", 1024)) {
            Await.until("playing", Duration.ofSeconds(10), () -> p.total() > 10_000);
            JsonObject stats = api.get("/stats").json();
            assertEquals(1, stats.getInt("total_streams"));
            assertEquals(1, stats.getInt("active_streams"));
            assertEquals(1, stats.getInt("total_clients"));
            assertTrue(stats.getJsonNumber("total_bytes_served").longValue() > 0);
            assertEquals(1, stats.getInt("upstream_connections_open"));
            assertEquals(1, api.get("/clients").json().getInt("total_clients"));
            assertEquals("viewer", api.get("/stats/clients").json().getJsonArray("clients").getJsonObject(0)
                    .getString("client_id"));
            assertEquals(1, api.get("/stats/streams").json().getInt("total_streams"));
            JsonObject detailed = api.get("/stats/detailed").json();
            assertTrue(detailed.getJsonObject("jvm").getInt("threads") > 0);
            assertEquals(1, detailed.getJsonObject("relay").getInt("upstream_connections_open"));
        }
        assertEquals("Sluice", api.get("/").json().getString("name"));
        assertEquals("healthy", api.get("/health").json().getString("status"));
        Api.Reply info = api.get("/info");
        assertTrue(info.json().getBoolean("api_token_set"));
        assertFalse(info.body().contains(Api.TOKEN), "the token never appears");
        assertFalse(info.body().contains("it-signing-key"));
        assertEquals(401, api.send(api.request("/info").GET().build()).status());
    }

    @Test
    void testConnectionReportsWhatTheUpstreamSaid() {
        upstream.route("/ok.ts", TestUpstream.liveTs(100_000));
        upstream.route("/no.ts", TestUpstream.status(404));
        JsonObject ok = api.post("/test-connection", "{\"url\":\"" + upstream.url("/ok.ts") + "\"}").json();
        assertTrue(ok.getBoolean("success"));
        assertEquals(200, ok.getInt("status_code"));
        JsonObject no = api.post("/test-connection", "{\"url\":\"" + upstream.url("/no.ts") + "\"}").json();
        assertFalse(no.getBoolean("success"));
        assertEquals(404, no.getInt("status_code"));
        JsonObject dead = api.post("/test-connection", "{\"url\":\"http://127.0.0.1:1/x\"}").json();
        assertFalse(dead.getBoolean("success"));
        assertEquals(422, api.post("/test-connection", "{\"url\":\"file:///etc/passwd\"}").status());
    }

    /** A replayed editor session: webhooks first, then register, play, count, stop the oldest. */
    @Test
    void anEditorSessionReplays() throws Exception {
        List<String> hooks = new CopyOnWriteArrayList<>();
        upstream.route("/editor/hook", ex -> {
            hooks.add(new String(ex.readBody(), StandardCharsets.UTF_8));
            ex.respond(200, "application/json", "{}".getBytes());
        });
        assertEquals(200, api.post("/webhooks", "{\"url\":\"" + upstream.url("/editor/hook") + "\",\"events\":"
                + "[\"stream_started\",\"client_connected\",\"stream_stopped\"]}").status());
        String older = stream("/ed/1.ts", "pl-7", "100");
        String newer = stream("/ed/2.ts", "pl-7", "200");
        try (Player p = Player.play(playerUrl(newer) + "?client_id=living-room", 1024)) {
            Await.until("playing", Duration.ofSeconds(10), () -> p.total() > 0);
            assertEquals(2, api.get("/m3u-proxy/streams/counts-by-metadata?field=playlist_id&values=pl-7"
                    + "&active_only=0").json().getJsonObject("counts").getInt("pl-7"));
            assertEquals(older, api.delete("/m3u-proxy/streams/oldest-by-metadata?field=playlist_id&value=pl-7"
                    + "&exclude_channel_id=200").json().getString("deleted_stream"));
            assertEquals(1, api.get("/streams/by-metadata?field=playlist_id&value=pl-7&active_only=1").json()
                    .getInt("total_matching"));
        }
        Await.until("the editor heard of it", Duration.ofSeconds(5), () -> hooks.size() >= 4);
        assertTrue(hooks.stream().anyMatch(h -> h.contains("\"stream_stopped\"") && h.contains(older)));
        assertTrue(hooks.stream().anyMatch(h -> h.contains("\"client_connected\"") && h.contains("living-room")));
    }
}
