package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.LiveHls;
import io.sluice.testing.Player;
import io.sluice.testing.TestUpstream;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * An M3U Editor session replayed against Sluice, call by call as the editor's PHP sends them
 * ({@code M3uProxyService}, {@code RegisterM3uProxyWebhook}, {@code M3uProxyStatus}, {@code Preferences},
 * {@code M3uProxyApiController}), asserting every field the editor reads (SPEC 16). Booleans go as 1/0 in
 * queries, bodies as JSON, the token in {@code X-API-Token}, as Laravel's HTTP client sends them.
 */
class EditorSessionIT extends SluiceIT {
    private static final String PLAYLIST = "9b2f0c1e-5a1d-4c1e-8f00-0000000000aa";
    private static final String OTHER_PLAYLIST = "9b2f0c1e-5a1d-4c1e-8f00-0000000000bb";

    /** STREAM_TIMEOUT 5 s: long enough that a registered stream waits for its player, short for the idle test. */
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("WEBHOOK_RETRY_BASE_DELAY", "0.1", "STREAM_TIMEOUT", "5"));
    }

    private final List<JsonObject> webhooks = new CopyOnWriteArrayList<>();
    private final List<JsonObject> resolverCalls = new CopyOnWriteArrayList<>();

    /** The editor's own HTTP: JSON accepted, token header, JSON bodies. */
    private Api.Reply call(String method, String path, String json) {
        HttpRequest.Builder b = api.authed(path).header("Accept", "application/json");
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return api.send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private JsonObject ok(Api.Reply r) {
        assertTrue(r.status() >= 200 && r.status() < 300, r.status() + " " + r.body());
        return r.json();
    }

    private static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    /** The metadata M3uProxyService builds for a channel (ints and booleans as the PHP arrays carry them). */
    private static String channelMetadata(int channelId, String playlist, int providerProfile) {
        return "\"metadata\":{\"id\":" + channelId + ",\"channel_id\":\"" + channelId + "\",\"type\":\"channel\","
                + "\"playlist_uuid\":\"" + playlist + "\",\"profile_id\":null,\"original_channel_id\":" + channelId
                + ",\"original_playlist_uuid\":\"" + playlist + "\",\"is_failover\":false,\"strict_live_ts\":false,"
                + "\"use_sticky_session\":false,\"provider_profile_id\":" + providerProfile + "}";
    }

    /** createStream's payload: metadata, the global silence settings, a header list normalised to a map. */
    private String createStream(String url, String extra) {
        JsonObject created = ok(call("POST", "/streams", "{\"url\":\"" + url + "\"," + extra
                + ",\"enable_silence_detection\":true,\"silence_threshold_db\":-50.0,\"silence_duration\":3.0,"
                + "\"silence_check_interval\":10.0,\"silence_failover_threshold\":3,"
                + "\"silence_monitoring_grace_period\":15.0,\"headers\":{\"Referer\":\"http://editor.test/\","
                + "\"X-Empty\":null}}"));
        assertEquals(JsonValue.ValueType.STRING, created.get("stream_id").getValueType());
        return created.getString("stream_id");
    }

    private List<JsonObject> hooks(String type, String streamId) {
        return webhooks.stream().filter(w -> w.getString("event_type").equals(type)
                && w.getString("stream_id").equals(streamId)).toList();
    }

    @Test
    void anEditorSessionGetsEveryFieldItReads() throws Exception {
        // RegisterM3uProxyWebhook: list, remove with a JSON body when forced, register.
        upstream.route("/editor/webhook", ex -> {
            webhooks.add(Json.createReader(new StringReader(new String(ex.readBody(), StandardCharsets.UTF_8)))
                    .readObject());
            ex.respond(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        });
        String hook = upstream.url("/editor/webhook");
        String registration = "{\"url\":\"" + hook + "\",\"events\":[\"client_connected\",\"client_disconnected\","
                + "\"stream_started\",\"stream_stopped\"],\"timeout\":5,\"retry_attempts\":2}";
        ok(call("POST", "/webhooks", registration));
        JsonObject listed = ok(call("GET", "/webhooks", null));
        assertEquals(hook, listed.getJsonArray("webhooks").getJsonObject(0).getString("url"));
        ok(call("DELETE", "/webhooks", "{\"webhook_url\":\"" + hook + "\"}"));
        assertEquals(0, ok(call("GET", "/webhooks", null)).getJsonArray("webhooks").size(), "removed by JSON body");
        ok(call("POST", "/webhooks", registration));

        // Preferences "Test connection" and M3uProxyStatus.
        JsonObject info = ok(call("GET", "/info", null));
        assertEquals(JsonValue.ValueType.STRING, info.get("version").getValueType());
        assertFalse(info.getJsonObject("hardware_acceleration").getBoolean("enabled") && info
                .getJsonObject("hardware_acceleration").isNull("type"), "an enabled accelerator has a type");
        assertEquals(JsonValue.ValueType.TRUE, info.getJsonObject("redis").get("pooling_enabled").getValueType());
        assertTrue(info.getJsonObject("redis").containsKey("max_clients_per_stream"));
        assertEquals("url_only", info.getJsonObject("redis").getString("sharing_strategy"));
        for (String key : List.of("ffmpeg_version", "streamlink_version", "ytdlp_version")) {
            assertTrue(info.containsKey(key), key);
        }
        assertTrue(info.isNull("streamlink_version") && info.isNull("ytdlp_version"));
        JsonObject health = ok(call("GET", "/health", null));
        assertEquals("healthy", health.getString("status"));
        assertEquals(info.getString("version"), health.getString("version"));
        assertEquals(0, health.getJsonObject("stats").getInt("active_streams"));
        assertEquals(0, health.getJsonObject("stats").getInt("total_clients"));

        // testResolver: the proxy reaches the editor's health route.
        upstream.route("/editor/up", TestUpstream.status(200));
        JsonObject tested = ok(call("POST", "/test-connection", "{\"url\":\"" + upstream.url("/editor/up") + "\"}"));
        assertTrue(tested.getBoolean("success"));
        assertEquals(JsonValue.ValueType.STRING, tested.get("message").getValueType());
        assertEquals(upstream.url("/editor/up"), tested.getString("url_tested"));

        // Streams the editor registers: a live channel, an HLS channel, a VOD, on one provider profile (7).
        upstream.route("/live/101.ts", TestUpstream.liveTs(200_000));
        upstream.route("/live/101b.ts", TestUpstream.liveTs(200_000));
        LiveHls.serve(upstream, "/hls/102", 50);
        upstream.route("/movie/103.mp4", TestUpstream.paced(new byte[4_000_000], 200_000));
        String ts = createStream(upstream.url("/live/101.ts"), channelMetadata(101, PLAYLIST, 7)
                + ",\"failover_urls\":[\"" + upstream.url("/live/101b.ts") + "\"]");
        String hls = createStream(upstream.url("/hls/102/master.m3u8"), channelMetadata(102, PLAYLIST, 7));
        String vod = createStream(upstream.url("/movie/103.mp4"), channelMetadata(103, OTHER_PLAYLIST, 8));

        // Registered, nobody watching yet: listed as active (m3u-proxy), not counted against a limit.
        JsonObject streams = ok(call("GET", "/streams", null));
        for (JsonValue v : streams.getJsonArray("streams")) {
            JsonObject s = v.asJsonObject();
            for (String key : List.of("stream_id", "original_url", "current_url", "stream_type", "is_active",
                    "client_count", "has_failover", "error_count", "total_bytes_served", "total_segments_served",
                    "created_at", "metadata", "failover_urls", "failover_resolver_url", "current_failover_index",
                    "failover_attempts", "last_failover_time")) {
                assertTrue(s.containsKey(key), key + " in " + s);
            }
            assertTrue(s.getBoolean("is_active"), "a registered stream is active before its first player");
        }
        assertEquals(0, ok(call("GET", "/streams/by-metadata?field=playlist_uuid&value=" + PLAYLIST
                + "&active_only=1", null)).getInt("total_matching"));

        ScheduledExecutorService hlsPlayer = Executors.newSingleThreadScheduledExecutor();
        try (Player tv = Player.play(playerUrl(ts) + "?username=alice&client_id=tv", 1024);
             Player phone = Player.play(playerUrl(ts) + "?username=bob&client_id=phone", 1024);
             Player movie = Player.play(playerUrl(vod) + "?client_id=tablet", 1024)) {
            // An HLS player keeps its session by polling the playlist.
            hlsPlayer.scheduleWithFixedDelay(() -> api.send(api.request("/hls/" + hls
                    + "/playlist.m3u8?username=carol&client_id=stb").GET().build()), 0, 400, TimeUnit.MILLISECONDS);
            Await.until("four players", Duration.ofSeconds(10), () -> tv.total() > 0 && phone.total() > 0
                    && movie.total() > 0 && api.clientCount(hls) == 1);

            // getPlaylistActiveStreams / getActiveStreamsCountByMetadata: the playlist's connection limit.
            JsonObject byPlaylist = ok(call("GET", "/streams/by-metadata?field=playlist_uuid&value=" + PLAYLIST
                    + "&active_only=1", null));
            assertEquals(2, byPlaylist.getInt("total_matching"), "two provider connections in use");
            assertEquals(3, byPlaylist.getInt("total_clients"));
            assertEquals(PLAYLIST, byPlaylist.getJsonObject("filter").getString("value"));
            assertTrue(byPlaylist.getBoolean("active_only"));
            JsonObject tsEntry = byPlaylist.getJsonArray("matching_streams").stream().map(JsonValue::asJsonObject)
                    .filter(m -> m.getString("stream_id").equals(ts)).findFirst().orElseThrow();
            assertEquals(2, tsEntry.getInt("client_count"));
            assertEquals("101", tsEntry.getJsonObject("metadata").getString("id"));
            assertEquals("Live Continuous", tsEntry.getString("stream_type"));
            assertEquals(upstream.url("/live/101.ts"), tsEntry.getString("url"));
            assertTrue(tsEntry.getBoolean("is_active"));
            assertEquals(JsonValue.ValueType.STRING, tsEntry.get("last_access").getValueType());
            assertEquals(List.of("HLS", "Live Continuous"), byPlaylist.getJsonArray("matching_streams").stream()
                    .map(v -> v.asJsonObject().getString("stream_type")).sorted().toList());

            // isChannelActive / triggerFailoverForChannel: by type, then metadata.id.
            JsonObject channels = ok(call("GET", "/streams/by-metadata?field=type&value=channel&active_only=1",
                    null));
            assertEquals(3, channels.getInt("total_matching"));
            // findExistingPooledStream: a direct stream reused by its original channel id.
            JsonObject pooled = ok(call("GET", "/streams/by-metadata?field=original_channel_id&value=101"
                    + "&active_only=1", null));
            JsonObject reuse = pooled.getJsonArray("matching_streams").getJsonObject(0);
            assertEquals(ts, reuse.getString("stream_id"));
            assertFalse("true".equals(reuse.getJsonObject("metadata").getString("transcoding", null)));
            assertEquals("7", reuse.getJsonObject("metadata").getString("provider_profile_id"));

            // getActiveStreamsCountsBatch: one call for all provider profiles.
            JsonObject counts = ok(call("GET", "/streams/counts-by-metadata?field=provider_profile_id&values=7,8,9"
                    + "&active_only=1", null)).getJsonObject("counts");
            assertEquals(Map.of("7", 2, "8", 1, "9", 0), Map.of("7", counts.getInt("7"), "8", counts.getInt("8"),
                    "9", counts.getInt("9")));

            // M3uProxyStatus / the stream monitor.
            JsonObject clients = ok(call("GET", "/clients", null));
            assertEquals(4, clients.getInt("total_clients"));
            assertEquals(4, clients.getJsonArray("clients").size());
            JsonObject live = ok(call("GET", "/health", null));
            assertEquals(3, live.getJsonObject("stats").getInt("active_streams"));
            assertEquals(4, live.getJsonObject("stats").getInt("total_clients"));

            // triggerFailover: POST with Laravel's empty JSON array body; players stay.
            JsonObject moved = ok(call("POST", "/streams/" + ts + "/failover", "[]"));
            assertEquals(upstream.url("/live/101b.ts"), moved.getString("new_url"));
            assertEquals("Live Continuous", moved.getString("stream_type"));
            long before = tv.total();
            Await.until("still playing after the failover", Duration.ofSeconds(5), () -> tv.total() > before);
            assertFalse(tv.ended().isDone());

            // stopOldestPlaylistStream: the new channel (101) is kept, the oldest other one goes.
            JsonObject oldest = ok(call("DELETE", "/streams/oldest-by-metadata?field=playlist_uuid&value="
                    + PLAYLIST + "&exclude_channel_id=101", null));
            assertEquals(1, oldest.getInt("deleted_count"));
            assertEquals(hls, oldest.getString("deleted_stream"));
            assertEquals(JsonValue.ValueType.NUMBER, oldest.get("stream_age_seconds").getValueType());
            JsonObject none = ok(call("DELETE", "/streams/oldest-by-metadata?field=playlist_uuid&value=nobody",
                    null));
            assertEquals(0, none.getInt("deleted_count"));
            assertTrue(none.isNull("deleted_stream"));

            // stopStreamsByMetadata(force: false, clientId): the tablet closes its in-app player.
            JsonObject kept = ok(call("DELETE", "/streams/by-metadata?field=type&value=channel&force=false"
                    + "&client_id=tv", null));
            assertEquals(0, kept.getInt("deleted_count"), "the phone still watches channel 101");
            JsonObject skipped = kept.getJsonArray("skipped_streams").getJsonObject(0);
            assertEquals(ts, skipped.getString("stream_id"));
            assertEquals(1, skipped.getInt("active_clients"));
            JsonObject closed = ok(call("DELETE", "/streams/by-metadata?field=playlist_uuid&value=" + OTHER_PLAYLIST
                    + "&force=false&client_id=tablet", null));
            assertEquals(1, closed.getInt("deleted_count"));
            assertEquals(List.of(vod), closed.getJsonArray("deleted_streams").getValuesAs(
                    jakarta.json.JsonString::getString));
        } finally {
            hlsPlayer.shutdownNow();
        }

        // stopStream from the stream monitor.
        ok(call("DELETE", "/streams/" + ts, null));

        // The webhook receiver (M3uProxyApiController::handleWebhook) releases provider connections on
        // stream_stopped by data.metadata.provider_profile_id: once per stream, every stream.
        Await.until("every stream stopped", Duration.ofSeconds(10), () -> List.of(ts, hls, vod).stream()
                .allMatch(id -> !hooks("stream_stopped", id).isEmpty()));
        for (String id : List.of(ts, hls, vod)) {
            assertEquals(1, hooks("stream_stopped", id).size(), "stream_stopped once for " + id);
            JsonObject data = hooks("stream_stopped", id).get(0).getJsonObject("data");
            assertNotNull(data.getJsonObject("metadata").getString("provider_profile_id"), id);
            assertEquals(1, hooks("stream_started", id).size(), "stream_started once for " + id);
            assertTrue(hooks("stream_started", id).get(0).getJsonObject("data").containsKey("metadata"));
        }
        assertEquals("7", hooks("stream_stopped", ts).get(0).getJsonObject("data").getJsonObject("metadata")
                .getString("provider_profile_id"));
        assertEquals("oldest_stream_deletion", hooks("stream_stopped", hls).get(0).getJsonObject("data")
                .getString("reason"));
        assertEquals("manual_deletion", hooks("stream_stopped", ts).get(0).getJsonObject("data").getString("reason"));
        assertFalse(hooks("client_connected", ts).isEmpty());
        assertEquals("101", hooks("client_connected", ts).get(0).getJsonObject("data").getJsonObject("metadata")
                .getString("id"));
    }

    /** The editor's "fail over this channel" on a stream registered with its resolver URL. */
    @Test
    void manualFailoverAsksTheResolverAsTheEditorExpects() {
        upstream.route("/live/201.ts", TestUpstream.liveTs(200_000));
        upstream.route("/live/201-next.ts", TestUpstream.liveTs(200_000));
        upstream.route("/api/m3u-proxy/failover-resolver", ex -> {
            resolverCalls.add(Json.createReader(new StringReader(new String(ex.readBody(), StandardCharsets.UTF_8)))
                    .readObject());
            ex.respond(200, "application/json", ("{\"next_url\":\"" + upstream.url("/live/201-next.ts") + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        });
        String id = createStream(upstream.url("/live/201.ts"), channelMetadata(201, PLAYLIST, 7)
                + ",\"failover_resolver_url\":\"" + upstream.url("/api/m3u-proxy/failover-resolver") + "\"");
        try (Player p = Player.play(playerUrl(id), 1024)) {
            Await.until("playing", Duration.ofSeconds(10), () -> p.total() > 0);
            JsonObject moved = ok(call("POST", "/streams/" + id + "/failover", "[]"));
            assertEquals(upstream.url("/live/201-next.ts"), moved.getString("new_url"));
            assertEquals(1, resolverCalls.size());
            JsonObject asked = resolverCalls.get(0);
            assertEquals(upstream.url("/live/201.ts"), asked.getString("current_url"));
            assertEquals("201", asked.getJsonObject("metadata").getString("id"));
            assertEquals(PLAYLIST, asked.getJsonObject("metadata").getString("playlist_uuid"));
            assertTrue(asked.containsKey("current_failover_index") && asked.containsKey("status_code"));
            Await.until("the player is on the resolver's source", Duration.ofSeconds(5),
                    () -> upstream.requests("/live/201-next.ts") == 1);
            assertFalse(p.ended().isDone());
        }
        // A resolver that names nothing and no list: a 409 with a detail, never a 500.
        upstream.route("/api/m3u-proxy/failover-resolver", ex -> ex.respond(200, "application/json",
                "{\"next_url\":null}".getBytes(StandardCharsets.UTF_8)));
        Api.Reply none = call("POST", "/streams/" + id + "/failover", "[]");
        assertEquals(409, none.status(), none.body());
        assertFalse(none.detail().isBlank());
    }

    /** A stream nobody plays ends its period after STREAM_TIMEOUT: one stream_stopped, and it no longer counts. */
    @Test
    void anUnwatchedStreamStopsOnceAndNoLongerCounts() {
        upstream.route("/editor/webhook", ex -> {
            webhooks.add(Json.createReader(new StringReader(new String(ex.readBody(), StandardCharsets.UTF_8)))
                    .readObject());
            ex.respond(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        });
        ok(call("POST", "/webhooks", "{\"url\":\"" + upstream.url("/editor/webhook")
                + "\",\"events\":[\"stream_started\",\"stream_stopped\"]}"));
        upstream.route("/live/301.ts", TestUpstream.liveTs(200_000));
        String id = createStream(upstream.url("/live/301.ts"), channelMetadata(301, PLAYLIST, 7));
        Await.until("idle stop delivered", Duration.ofSeconds(12), () -> !hooks("stream_stopped", id).isEmpty());
        assertEquals("inactive_timeout", hooks("stream_stopped", id).get(0).getJsonObject("data").getString("reason"));
        assertFalse(ok(call("GET", "/streams/" + id, null)).getJsonObject("stream").getBoolean("is_active"));
        assertEquals(0, ok(call("GET", "/streams/by-metadata?field=playlist_uuid&value=" + PLAYLIST
                + "&active_only=0", null)).getInt("total_matching"));
        // The editor registers it again for the next viewer: a new period, announced once more.
        createStream(upstream.url("/live/301.ts"), channelMetadata(301, PLAYLIST, 7));
        Await.until("started again", Duration.ofSeconds(5), () -> hooks("stream_started", id).size() == 2);
        assertTrue(ok(call("GET", "/streams/" + id, null)).getJsonObject("stream").getBoolean("is_active"));
        ok(call("DELETE", "/streams/" + id, null));
        Await.until("second stop", Duration.ofSeconds(5), () -> hooks("stream_stopped", id).size() == 2);
        assertEquals("manual_deletion", hooks("stream_stopped", id).get(1).getJsonObject("data").getString("reason"));
    }
}
