package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.JsonShape;
import io.sluice.testing.Player;
import io.sluice.testing.TestUpstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Each management route's JSON against m3u-proxy 0.4.5's (src/api.py and StreamManager.get_stats, read route by
 * route): every field it answers is there with the same JSON type. Sluice's additions are not checked here;
 * docs/compatibility.md lists them with the deliberate differences.
 */
class M3uProxyContractIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("STREAM_TIMEOUT", "30"));
    }

    private static final String[] STREAM_STATS = {"stream_id:string", "original_url:string", "current_url:string",
        "user_agent:string", "client_count:number", "total_bytes_served:number", "total_segments_served:number",
        "error_count:number", "is_active:boolean", "has_failover:boolean", "failover_urls:array",
        "failover_resolver_url:string|null", "current_failover_index:number", "failover_attempts:number",
        "last_failover_time:string|null", "stream_type:string", "created_at:string", "last_access:string",
        "metadata:object"};
    private static final String[] CLIENT_STATS = {"client_id:string", "stream_id:string", "user_agent:string",
        "ip_address:string", "username:string|null", "bytes_served:number", "segments_served:number",
        "created_at:string", "last_access:string", "is_connected:boolean"};
    private static final String[] PROXY_STATS = {"total_streams:number", "active_streams:number",
        "total_clients:number", "active_clients:number", "total_bytes_served:number",
        "total_segments_served:number", "uptime_seconds:number"};

    private static String[] under(String prefix, String... specs) {
        return java.util.Arrays.stream(specs).map(s -> prefix + "." + s).toArray(String[]::new);
    }

    private static String[] join(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    private static void holds(Api.Reply r, String... shape) {
        assertEquals(200, r.status(), r.body());
        assertEquals(List.of(), JsonShape.mismatches(r.json(), shape), r.body());
    }

    @Test
    void everyRouteAnswersInM3uProxysShape() {
        upstream.route("/live/1.ts", TestUpstream.liveTs(200_000));
        upstream.route("/live/2.ts", TestUpstream.liveTs(200_000));
        Api.Reply created = api.post("/streams", "{\"url\":\"" + upstream.url("/live/1.ts") + "\",\"failover_urls\":[\""
                + upstream.url("/live/2.ts") + "\"],\"metadata\":{\"id\":1,\"playlist_uuid\":\"p\"}}");
        holds(created, "stream_id:string", "primary_url:string", "failover_urls:array", "user_agent:string",
                "stream_type:string", "stream_endpoint:string", "playlist_url:string", "direct_url:string",
                "message:string", "metadata:object");
        String id = created.json().getString("stream_id");
        try (Player p = Player.play(playerUrl(id) + "?client_id=c1&username=u", 1024)) {
            Await.until("playing", Duration.ofSeconds(10), () -> p.total() > 0);
            holds(api.get("/streams"), join(new String[]{"streams:array", "total:number"},
                    under("streams[]", STREAM_STATS)));
            holds(api.get("/streams/" + id), join(new String[]{"stream:object", "clients:array",
                "client_count:number"}, under("stream", STREAM_STATS), under("clients[]", CLIENT_STATS)));
            holds(api.get("/streams/by-metadata?field=playlist_uuid&value=p&active_only=1"), "filter.field:string",
                    "filter.value:string", "active_only:boolean", "matching_streams[].stream_id:string",
                    "matching_streams[].client_count:number", "matching_streams[].metadata:object",
                    "matching_streams[].last_access:string", "matching_streams[].is_active:boolean",
                    "matching_streams[].url:string", "matching_streams[].stream_type:string",
                    "total_matching:number", "total_clients:number");
            holds(api.get("/streams/counts-by-metadata?field=playlist_uuid&values=p,q&active_only=1"),
                    "field:string", "counts.p:number", "counts.q:number");
            holds(api.get("/"), join(new String[]{"status:string", "message:string", "version:string",
                "uptime:number", "stats:object"}, under("stats", PROXY_STATS)));
            holds(api.get("/health"), join(new String[]{"status:string", "root_path:string", "version:string",
                "uptime_seconds:number", "active_streams:number", "active_clients:number",
                "total_bytes_served:number", "stats:object"}, under("stats", PROXY_STATS)));
            holds(api.get("/info"), "version:string", "ffmpeg_version:string|null", "streamlink_version:string|null",
                    "ytdlp_version:string|null", "hardware_acceleration.enabled:boolean",
                    "hardware_acceleration.type:string|null", "hardware_acceleration.device:string|null",
                    "hardware_acceleration.ffmpeg_args:array", "redis.enabled:boolean",
                    "redis.pooling_enabled:boolean", "redis.host:string|null", "redis.port:number|null",
                    "redis.db:number|null", "redis.max_clients_per_stream:number|null",
                    "redis.stream_timeout:number|null", "redis.sharing_strategy:string|null",
                    "transcoding.enabled:boolean", "transcoding.profiles:object",
                    "configuration.default_user_agent:string", "configuration.client_timeout:number",
                    "configuration.stream_timeout:number", "configuration.cleanup_interval:number",
                    "configuration.max_retries:number", "worker.worker_id:string",
                    "worker.heartbeat_interval:number", "worker.multi_worker_mode:boolean");
            holds(api.get("/stats"), join(PROXY_STATS, new String[]{"streams:array", "clients:array"},
                    under("streams[]", STREAM_STATS), under("clients[]", CLIENT_STATS)));
            holds(api.get("/stats/detailed"), "proxy_stats:object", "connection_pool_stats:object",
                    "failover_stats:object", "performance_metrics:object", "error_stats:object",
                    "stream_count:number", "client_count:number");
            holds(api.get("/stats/performance"), "connection_pool:object", "performance_metrics:object",
                    "failover_stats:object", "error_stats:object", "timestamp:string");
            holds(api.get("/stats/streams"), "total_streams:number", "streams:array");
            holds(api.get("/stats/clients"), join(new String[]{"total_clients:number", "clients:array"},
                    under("clients[]", CLIENT_STATS)));
            holds(api.get("/clients"), join(new String[]{"total_clients:number", "clients:array"},
                    under("clients[]", CLIENT_STATS)));
            holds(api.post("/streams/" + id + "/failover", ""), "message:string", "new_url:string",
                    "failover_index:number", "failover_attempts:number", "active_clients:number",
                    "stream_type:string");
            holds(api.delete("/streams/by-metadata?field=playlist_uuid&value=p&force=0&client_id=other"),
                    "message:string", "deleted_streams:array", "skipped_streams[].stream_id:string",
                    "skipped_streams[].reason:string", "skipped_streams[].active_clients:number",
                    "deleted_count:number");
            holds(api.delete("/streams/oldest-by-metadata?field=playlist_uuid&value=p"), "message:string",
                    "deleted_stream:string", "stream_age_seconds:number", "deleted_count:number");
        }
        holds(api.delete("/streams/oldest-by-metadata?field=playlist_uuid&value=p"), "message:string",
                "deleted_stream:null", "deleted_count:number");
        String other = api.register(upstream.url("/live/2.ts"));
        holds(api.delete("/streams/" + other), "message:string");
        upstream.route("/up", TestUpstream.status(200));
        holds(api.post("/test-connection", "{\"url\":\"" + upstream.url("/up") + "\"}"), "success:boolean",
                "message:string", "status_code:number", "url_tested:string");
    }

    @Test
    void webhookRoutesAnswerInM3uProxysShape() {
        upstream.route("/hook", TestUpstream.status(200));
        String hook = upstream.url("/hook");
        holds(api.post("/webhooks", "{\"url\":\"" + hook + "\",\"events\":[\"stream_started\"],\"timeout\":5,"
                + "\"retry_attempts\":2}"), "message:string", "webhook_url:string", "events:array");
        holds(api.get("/webhooks"), "webhooks[].url:string", "webhooks[].events:array", "webhooks[].timeout:number",
                "webhooks[].retry_attempts:number");
        holds(api.send(api.authed("/webhooks?webhook_url=" + hook).DELETE().build()), "message:string");
    }
}
