package io.sluice.it;

import io.sluice.testing.Api;
import io.sluice.testing.TestUpstream;
import java.io.File;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deploys the WAR that {@code mvn package} built, exactly what ships, and talks to it over HTTP as players and
 * editors do. Each test gets a fresh loopback upstream. Every IT class declares its deployment with
 * {@link #war}, naming the settings it needs beyond the base ones.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class SluiceIT {
    @ArquillianResource
    URL base;

    TestUpstream upstream;
    Api api;

    /**
     * Settings every IT deployment starts from (embedded Tomcat runs in this JVM, so Sluice reads them as
     * system properties at start-up). Short timeouts keep failure tests quick; no retries unless a test class
     * asks for them. The token matches {@link Api#TOKEN}.
     */
    private static final Map<String, String> BASE_SETTINGS = Map.ofEntries(
            Map.entry("API_TOKEN", Api.TOKEN),
            Map.entry("DEFAULT_CONNECTION_TIMEOUT", "2"),
            Map.entry("DEFAULT_READ_TIMEOUT", "2"),
            Map.entry("LIVE_CHUNK_TIMEOUT_SECONDS", "2"),
            Map.entry("LIVE_FIRST_DATA_TIMEOUT_SECONDS", "3"),
            Map.entry("LIVE_STALL_RECOVERY_SECONDS", "5"),
            Map.entry("STREAM_TIMEOUT", "2"),
            Map.entry("RELAY_BUFFER_BYTES", "1048576"),
            Map.entry("SLOW_CLIENT_GRACE", "0.5"),
            Map.entry("CLIENT_TIMEOUT", "2"),
            Map.entry("SEGMENT_SIGNING_KEY", "it-signing-key"),
            Map.entry("STREAM_RETRY_ATTEMPTS", "0"),
            Map.entry("STREAM_RETRY_DELAY", "0.2"),
            Map.entry("STREAM_RETRY_EXPONENTIAL_BACKOFF", "false"),
            Map.entry("STREAM_TOTAL_TIMEOUT", "30"),
            Map.entry("USE_STICKY_SESSION", "false"),
            Map.entry("FAIL_CONDITION_STATUSES", ""),
            Map.entry("INVALID_SOURCE_MINUTES", "5"),
            Map.entry("FAILOVER_RESOLVER_TIMEOUT", "10"),
            Map.entry("WEBHOOK_QUEUE_SIZE", "10000"),
            Map.entry("WEBHOOK_RETRY_BASE_DELAY", "1.0"),
            Map.entry("PROVIDER_MAX_CONNECTIONS", "0"),
            Map.entry("PROVIDER_LIMIT_POLICY", "reject"),
            Map.entry("STORE", "memory"),
            Map.entry("REDIS_URL", ""),
            Map.entry("STORE_TIMEOUT", "1"),
            Map.entry("STORE_SYNC_INTERVAL", "2"),
            Map.entry("FFMPEG_PATH", "ffmpeg"),
            Map.entry("TRANSCODE_MAX_PROCESSES", "4"),
            Map.entry("BROADCAST_MAX_CONCURRENT", "4"),
            Map.entry("BROADCAST_WINDOW_MAX_MB", "64"),
            Map.entry("SPLICE_KEYFRAME_WAIT", "5"),
            Map.entry("TS_HEALTH_TIMEOUT", "5"),

            // Every IT player comes from 127.0.0.1, and some classes play 50 at once.
            Map.entry("MAX_VIEWERS", "1000"),
            Map.entry("MAX_VIEWERS_PER_IP", "200"),
            Map.entry("PLAYER_PAUSE_LIMIT", "600"));

    /**
     * The WAR that {@code mvn package} built, deployed with the base settings and {@code overrides}. Every setting
     * any IT class overrides must have a base value here, or it would leak into the classes deployed after it.
     */
    static WebArchive war(Map<String, String> overrides) {
        BASE_SETTINGS.forEach(System::setProperty);
        overrides.forEach(System::setProperty);
        String war = System.getProperty("it.war", "target/sluice.war");
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(war));
    }

    /** The same WAR under another name, so that several instances can run side by side (context {@code /name}). */
    static WebArchive war(String name, Map<String, String> overrides) {
        return ShrinkWrap.create(WebArchive.class, name + ".war").merge(war(overrides));
    }

    @BeforeEach
    void setUpSluice() {
        upstream = TestUpstream.start();
        // Payara Micro reports the machine's interface address; both containers listen on loopback only.
        api = new Api(base.getProtocol() + "://127.0.0.1:" + base.getPort() + base.getPath());
    }

    @AfterEach
    void tearDownSluice() {
        // Streams are per test: stop whatever this test registered so players and upstreams end.
        var list = api.get("/streams");
        if (list.status() == 200) {
            list.json().getJsonArray("streams").forEach(s ->
                    api.delete("/streams/" + s.asJsonObject().getString("stream_id")));
        }
        var hooks = api.get("/webhooks");
        if (hooks.status() == 200) {
            hooks.json().getJsonArray("webhooks").forEach(h -> api.send(api.authed("/webhooks?webhook_url="
                    + java.net.URLEncoder.encode(h.asJsonObject().getString("url"), java.nio.charset.StandardCharsets.UTF_8))
                    .DELETE().build()));
        }
        upstream.close();
    }

    String playerUrl(String streamId) {
        return api.base() + "/stream/" + streamId;
    }
}
