package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.Player;
import io.sluice.testing.PrometheusText;
import io.sluice.testing.RedisServer;
import io.sluice.testing.TestUpstream;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code STORE=redis} (SPEC 14) with a real redis-server: two instances of the WAR ("a" and "b", as behind
 * HAProxy) share one Redis; a third ("late") starts mid-test like an instance after a restart. Redis is not running
 * when the instances start, so the first test sees them start without their store.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedStoreIT {
    private static final RedisServer REDIS = RedisServer.onFreePort();
    /** The embedded Tomcat's port (arquillian.xml); each instance is a context on it. */
    private static final String HOST = "http://127.0.0.1:" + System.getProperty("it.tomcat.port", "18881");
    private static final Duration SYNC = Duration.ofMillis(300);

    private final Api a = new Api(HOST + "/a");
    private final Api b = new Api(HOST + "/b");
    private final List<JsonObject> delivered = new CopyOnWriteArrayList<>();
    private TestUpstream upstream;

    @ArquillianResource
    Deployer deployer;

    private static Map<String, String> settings() {
        return Map.of("STORE", "redis", "REDIS_URL", REDIS.url(), "STORE_TIMEOUT", "0.5",
                "STORE_SYNC_INTERVAL", Double.toString(SYNC.toMillis() / 1000.0));
    }

    @Deployment(name = "a", order = 1, testable = false)
    static WebArchive instanceA() {
        return SluiceIT.war("a", settings());
    }

    @Deployment(name = "b", order = 2, testable = false)
    static WebArchive instanceB() {
        return SluiceIT.war("b", settings());
    }

    @Deployment(name = "late", managed = false, testable = false)
    static WebArchive lateInstance() {
        return SluiceIT.war("late", settings());
    }

    @BeforeEach
    void upstream() {
        upstream = TestUpstream.start();
        upstream.route("/live/news.ts", TestUpstream.liveTs(200_000));
        upstream.route("/hook", ex -> {
            String raw = new String(ex.readBody(), StandardCharsets.UTF_8);
            delivered.add(jakarta.json.Json.createReader(new java.io.StringReader(raw)).readObject());
            ex.respond(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        });
    }

    @AfterEach
    void cleanUp() {
        REDIS.start();
        awaitReady(a);
        awaitReady(b);
        var streams = a.get("/streams");
        streams.json().getJsonArray("streams").forEach(s -> a.delete("/streams/" + s.asJsonObject().getString("stream_id")));
        a.get("/webhooks").json().getJsonArray("webhooks").forEach(h -> a.send(a.authed("/webhooks?webhook_url="
                + URLEncoder.encode(h.asJsonObject().getString("url"), StandardCharsets.UTF_8)).DELETE().build()));
        Await.until("no stream and no webhook left on either instance", Duration.ofSeconds(10), () ->
                streamCount(a) == 0 && streamCount(b) == 0 && webhookCount(b) == 0);
        upstream.close();
    }

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @Test
    @Order(1)
    void instancesStartWithoutTheirStoreAndBecomeReadyWhenItComesUp() {
        Api.Reply ready = a.get("/health/ready");
        assertEquals(503, ready.status(), ready.body());
        assertEquals("DOWN", check(ready, "store"));
        assertEquals(503, b.get("/health/ready").status());
        Api.Reply refused = a.post("/streams", "{\"url\":\"" + upstream.url("/live/news.ts") + "\"}");
        assertEquals(503, refused.status(), "a registration the store cannot keep is refused");
        assertTrue(refused.detail().contains("Store unavailable"), refused.body());

        REDIS.start();
        awaitReady(a);
        awaitReady(b);
        assertEquals("UP", check(a.get("/health/ready"), "store"));
    }

    @Test
    @Order(2)
    void readyIs503WhileRedisIsDownAnd200WhenBackAndPlayersNeverNotice() {
        REDIS.start();
        awaitReady(a);
        String id = a.register(upstream.url("/live/news.ts"));
        try (Player player = Player.play(a.base() + "/stream/" + id, 1024)) {
            Await.until("the player receiving", Duration.ofSeconds(5), () -> player.total() > 50_000);

            REDIS.stop();
            Await.until("A reporting its store down", Duration.ofSeconds(5), () -> a.get("/health/ready").status() == 503);
            assertEquals("DOWN", check(a.get("/health/ready"), "store"));
            assertEquals(200, a.get("/health/live").status(), "alive: nothing to restart");
            Await.until("the outage in A's metrics", Duration.ofSeconds(5), () -> storeUp(a) == 0);

            long before = player.total();
            Await.until("the player still receiving during the outage", Duration.ofSeconds(5),
                    () -> player.total() > before + 100_000);
            assertEquals(503, a.post("/streams", "{\"url\":\"" + upstream.url("/live/other.ts") + "\"}").status());
            assertEquals(503, a.delete("/streams/" + id).status(), "a removal the store cannot keep is refused");
            assertEquals(200, a.get("/streams/" + id).status(), "and the stream goes on");
            assertEquals(503, a.post("/webhooks", "{\"url\":\"" + upstream.url("/hook") + "\"}").status());

            REDIS.start(); // empty: this Redis keeps nothing on disk
            Await.until("A ready again", Duration.ofSeconds(10), () -> a.get("/health/ready").status() == 200);
            Await.until("the stream written back to the emptied store", Duration.ofSeconds(10),
                    () -> REDIS.command("HEXISTS sluice:streams " + id).equals(":1"));
            assertEquals(200, b.get("/streams/" + id).status(), "the other instance still knows it");
            Await.until("the store up in A's metrics", Duration.ofSeconds(5), () -> storeUp(a) == 1);
            long after = player.total();
            Await.until("the player still receiving", Duration.ofSeconds(5), () -> player.total() > after + 50_000);
        }
        assertEquals(1, upstream.requests("/live/news.ts"), "one upstream connection through the whole outage");
    }

    @Test
    @Order(3)
    void aStreamRegisteredThroughOneInstancePlaysAtOnceThroughTheOther() {
        REDIS.start();
        awaitReady(a);
        String id = a.register(upstream.url("/live/news.ts"), "\"metadata\":{\"channel_id\":\"7\"}");
        try (Player player = Player.play(b.base() + "/stream/" + id, 1024)) {
            Await.until("bytes through B", Duration.ofSeconds(5), () -> player.total() > 50_000);
            assertEquals(200, player.status());
            assertEquals(1, b.clientCount(id));
            assertEquals("7", metadataOf(b, id).getString("channel_id"));
        }
        assertEquals(404, b.get("/streams/" + "0".repeat(32)).status(), "unknown ids stay unknown");
        JsonObject redis = b.get("/info").json().getJsonObject("redis");
        assertTrue(redis.getBoolean("enabled"));
        assertEquals("127.0.0.1", redis.getString("host"));
        assertEquals(REDIS.port(), redis.getInt("port"));
    }

    @Test
    @Order(4)
    void aStreamRemovedThroughOneInstanceStopsOnTheOther() {
        REDIS.start();
        awaitReady(a);
        String id = a.register(upstream.url("/live/news.ts"));
        try (Player player = Player.play(b.base() + "/stream/" + id, 1024)) {
            Await.until("bytes through B", Duration.ofSeconds(5), () -> player.total() > 50_000);
            assertEquals(200, a.delete("/streams/" + id).status());
            Await.until("B's player ended", Duration.ofSeconds(5), () -> player.ended().isDone());
            assertEquals(404, b.get("/streams/" + id).status());
            Await.until("B's upstream closed", Duration.ofSeconds(5), () -> upstream.openConnections("/live/news.ts") == 0);
        }
    }

    @Test
    @Order(5)
    void aNewInstanceFindsEveryStreamWebhookAndStickyLock() {
        REDIS.start();
        awaitReady(a);
        upstream.route("/lb/live.ts", TestUpstream.redirect(302, upstream.url("/node2/live.ts")));
        upstream.route("/node2/live.ts", TestUpstream.liveTs(200_000));
        String plain = a.register(upstream.url("/live/news.ts"), "\"metadata\":{\"channel_id\":\"1\"}");
        String sticky = a.register(upstream.url("/lb/live.ts"), "\"use_sticky_session\":true");
        assertEquals(200, a.post("/webhooks", "{\"url\":\"" + upstream.url("/hook") + "\",\"events\":[\"client_connected\"]}").status());
        try (Player locking = Player.play(a.base() + "/stream/" + sticky, 1024)) {
            Await.until("A locked onto node2", Duration.ofSeconds(5), 
                    () -> REDIS.command("HEXISTS sluice:sticky-locks " + sticky).equals(":1"));
        }
        int balancerHits = upstream.requests("/lb/live.ts");

        deployer.deploy("late");
        try {
            Api late = new Api(HOST + "/late");
            awaitReady(late);
            Await.until("the new instance listing both streams", Duration.ofSeconds(5), () -> streamCount(late) == 2);
            assertEquals("1", metadataOf(late, plain).getString("channel_id"));
            assertEquals(1, webhookCount(late));

            try (Player viaLate = Player.play(late.base() + "/stream/" + sticky + "?client_id=tv9", 1024)) {
                Await.until("bytes through the new instance", Duration.ofSeconds(5), () -> viaLate.total() > 50_000);
            }
            assertEquals(balancerHits, upstream.requests("/lb/live.ts"), "the new instance went straight to the locked backend");
            Await.until("its client_connected delivered to the webhook registered through A", Duration.ofSeconds(5),
                    () -> delivered.stream().anyMatch(e -> e.getString("event_type").equals("client_connected")
                            && e.getJsonObject("data").toString().contains("tv9")));
        } finally {
            deployer.undeploy("late");
        }
    }

    private static void awaitReady(Api api) {
        Await.until(api.base() + " ready", Duration.ofSeconds(10), () -> api.get("/health/ready").status() == 200);
    }

    private static double storeUp(Api api) {
        return PrometheusText.value(PrometheusText.parse(api.get("/metrics").body()), "sluice_store_up");
    }

    private static JsonObject metadataOf(Api api, String id) {
        Api.Reply r = api.get("/streams/" + id);
        assertEquals(200, r.status(), r.body());
        return r.json().getJsonObject("stream").getJsonObject("metadata");
    }

    private static String check(Api.Reply ready, String name) {
        return ready.json().getJsonArray("checks").stream().map(v -> v.asJsonObject())
                .filter(c -> c.getString("name").equals(name)).findFirst().orElseThrow().getString("status");
    }

    private static int streamCount(Api api) {
        Api.Reply r = api.get("/streams");
        return r.status() == 200 ? r.json().getJsonArray("streams").size() : -1;
    }

    private static int webhookCount(Api api) {
        Api.Reply r = api.get("/webhooks");
        return r.status() == 200 ? r.json().getJsonArray("webhooks").size() : -1;
    }
}
