package io.sluice.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.config.Settings;
import io.sluice.testing.Await;
import io.sluice.testing.TestUpstream;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream client against a real loopback server: flow control, redirects, failure classes. */
class UpstreamClientTest {
    private TestUpstream upstream;
    private UpstreamClient client;

    @BeforeEach
    void start() {
        upstream = TestUpstream.start();
        client = new UpstreamClient();
        client.settings = Settings.from(Map.of("DEFAULT_CONNECTION_TIMEOUT", "1", "DEFAULT_READ_TIMEOUT", "1")::get);
        client.start();
    }

    @AfterEach
    void stop() {
        client.stop();
        upstream.close();
    }

    /** Takes bytes only while {@code room} allows, like a relay whose players are slow. */
    static final class RecordingSink implements BodySink {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final CompletableFuture<UpstreamResponse> response = new CompletableFuture<>();
        final CompletableFuture<Void> end = new CompletableFuture<>();
        final CompletableFuture<UpstreamFailure> failure = new CompletableFuture<>();
        volatile long room = Long.MAX_VALUE / 2;

        @Override
        public void onResponse(UpstreamResponse r) throws UpstreamFailureException {
            response.complete(r);
            if (r.status() >= 400) {
                throw new UpstreamFailureException(UpstreamFailure.status(r.status()));
            }
        }

        @Override
        public synchronized void onData(ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            body.write(b, 0, b.length);
        }

        synchronized int received() {
            return body.size();
        }

        @Override
        public synchronized long capacity() {
            return Math.max(0, room - body.size());
        }

        @Override
        public void onEnd() {
            end.complete(null);
        }

        @Override
        public void onFailure(UpstreamFailure f) {
            failure.complete(f);
        }
    }

    private RecordingSink fetch(String path) {
        RecordingSink sink = new RecordingSink();
        URI uri = URI.create(upstream.url(path));
        client.open(new UpstreamRequest(uri, "test-agent", Map.of("X-Provider-Key", "k1")),
                new FlowControlledConsumer(sink, uri));
        return sink;
    }

    @Test
    void upstreamIsReadOnlyAsFastAsTheSinkTakes() throws Exception {
        byte[] file = new byte[64 * 1024 * 1024];
        new Random(1).nextBytes(file);
        upstream.route("/big.ts", TestUpstream.file(file, "video/mp2t"));
        RecordingSink sink = new RecordingSink();
        sink.room = 256 * 1024;
        URI uri = URI.create(upstream.url("/big.ts"));
        FlowControlledConsumer consumer = new FlowControlledConsumer(sink, uri);
        client.open(new UpstreamRequest(uri, "ua", Map.of()), consumer);

        long sent = Await.settled("upstream writes to stall", Duration.ofSeconds(10), Duration.ofMillis(500),
                () -> upstream.bytesSent("/big.ts"));
        // Only the granted window (plus what HttpCore had already buffered) reached the sink,
        // and the kernel's socket buffers hold the rest of what the server could write.
        assertTrue(sink.received() <= 256 * 1024 + 64 * 1024, "sink got " + sink.received());
        assertTrue(sent < 24 * 1024 * 1024, "upstream wrote " + sent + " bytes despite the closed window");

        sink.room = Long.MAX_VALUE / 2;
        consumer.resume();
        sink.end.get(20, TimeUnit.SECONDS);
        assertArrayEquals(file, sink.body.toByteArray());
    }

    @Test
    void sendsTheStreamsUserAgentAndHeaders() throws Exception {
        upstream.route("/a.ts", TestUpstream.file(new byte[10], "video/mp2t"));
        fetch("/a.ts").end.get(5, TimeUnit.SECONDS);
        Map<String, String> h = upstream.requestHeaders("/a.ts").get(0);
        assertEquals("test-agent", h.get("user-agent"));
        assertEquals("k1", h.get("x-provider-key"));
    }

    @Test
    void followsRedirectsAndReportsTheFinalUrl() throws Exception {
        upstream.route("/entry", TestUpstream.redirect(302, "/lb"));
        upstream.route("/lb", TestUpstream.redirect(307, upstream.url("/backend-2/live.ts")));
        upstream.route("/backend-2/live.ts", TestUpstream.file(new byte[100], "video/mp2t"));
        RecordingSink sink = fetch("/entry");
        sink.end.get(5, TimeUnit.SECONDS);
        assertEquals(URI.create(upstream.url("/backend-2/live.ts")), sink.response.get().finalUri());
        assertEquals(100, sink.received());
    }

    @Test
    void redirectLoopIsAFailure() throws Exception {
        upstream.route("/a", TestUpstream.redirect(302, "/b"));
        upstream.route("/b", TestUpstream.redirect(302, "/a"));
        assertEquals(UpstreamFailure.Kind.REDIRECT, fetch("/a").failure.get(5, TimeUnit.SECONDS).kind());
    }

    @Test
    void errorStatusIsAFailureWithItsCode() throws Exception {
        upstream.route("/gone.ts", TestUpstream.status(503));
        UpstreamFailure f = fetch("/gone.ts").failure.get(5, TimeUnit.SECONDS);
        assertEquals(UpstreamFailure.Kind.STATUS, f.kind());
        assertEquals(503, f.statusCode());
        assertEquals(502, f.playerStatus());
    }

    @Test
    void refusedConnectionIsAConnectFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RecordingSink sink = new RecordingSink();
        URI uri = URI.create("http://127.0.0.1:" + port + "/x.ts");
        client.open(new UpstreamRequest(uri, "ua", Map.of()), new FlowControlledConsumer(sink, uri));
        assertEquals(UpstreamFailure.Kind.CONNECT, sink.failure.get(5, TimeUnit.SECONDS).kind());
    }

    @Test
    void silentUpstreamTimesOutAsTimeout() throws Exception {
        upstream.route("/silent.ts", TestUpstream.stall());
        UpstreamFailure f = fetch("/silent.ts").failure.get(5, TimeUnit.SECONDS);
        assertEquals(UpstreamFailure.Kind.TIMEOUT, f.kind());
        assertEquals(504, f.playerStatus());
    }

    @Test
    void cancellingAnExchangeClosesTheUpstreamConnectionAtOnce() throws Exception {
        upstream.route("/live.ts", TestUpstream.liveTs(500_000));
        cancelsCloseAtOnce("/live.ts", 10, sink -> sink.received() > 10_000);
    }

    @Test
    void cancellingAStalledExchangeClosesTheUpstreamConnectionAtOnce() throws Exception {
        // A stalled source sends nothing more, so no read can fail the exchange: the cancel itself must close it
        // (a provider allowing one connection would otherwise refuse the backup on the same account).
        byte[] start = io.sluice.testing.LiveTs.packets(0, 100);
        upstream.route("/stalled.ts", TestUpstream.stallAfter(start, start.length, "video/mp2t"));
        cancelsCloseAtOnce("/stalled.ts", 5, sink -> sink.received() == start.length);
    }

    @Test
    void cancellingAnExchangeStillWaitingForItsAnswerClosesTheConnectionAtOnce() throws Exception {
        upstream.route("/hung.m3u8", TestUpstream.stall());
        cancelsCloseAtOnce("/hung.m3u8", 5, sink -> upstream.openConnections("/hung.m3u8") == 1);
    }

    /** {@code times} exchanges with {@code path}, each given up once {@code ready}: each connection closes at once. */
    private void cancelsCloseAtOnce(String path, int times, java.util.function.Predicate<RecordingSink> ready) {
        for (int i = 0; i < times; i++) {
            RecordingSink sink = new RecordingSink();
            URI uri = URI.create(upstream.url(path));
            FlowControlledConsumer consumer = new FlowControlledConsumer(sink, uri);
            var future = client.open(new UpstreamRequest(uri, "ua", Map.of()), consumer);
            Await.until("the exchange is under way", Duration.ofSeconds(5), () -> ready.test(sink));
            consumer.abandon();
            future.cancel(true);
            Await.until("upstream connection closed", Duration.ofMillis(500), () -> upstream.openConnections(path) == 0);
        }
    }

    @Test
    void connectionsThatClosedAreForgotten() throws Exception {
        // Each remembered connection holds its session and buffers: one left behind per exchange is a leak.
        upstream.route("/hook", ex -> {
            ex.readBody();
            ex.respond(204, null, new byte[0]);
        });
        upstream.route("/live.ts", TestUpstream.liveTs(500_000));
        for (int i = 0; i < 20; i++) {
            client.postJson(URI.create(upstream.url("/hook")), "{}", Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
            RecordingSink sink = new RecordingSink();
            URI uri = URI.create(upstream.url("/live.ts"));
            FlowControlledConsumer consumer = new FlowControlledConsumer(sink, uri);
            var future = client.open(new UpstreamRequest(uri, "ua", Map.of()), consumer);
            Await.until("data flows", Duration.ofSeconds(5), () -> sink.received() > 1_000);
            consumer.abandon();
            future.cancel(true);
        }
        // What is left is the one pooled connection the posts reuse.
        Await.until("closed connections forgotten", Duration.ofSeconds(5), () -> client.openConnections() <= 1);
    }

    @Test
    void aHugeReplyToAJsonPostIsReadOnlyUpToTheLimit() throws Exception {
        long huge = 400L * 1024 * 1024;
        upstream.route("/hook", TestUpstream.hugeReply(200, huge));
        SmallReply r = client.postJson(URI.create(upstream.url("/hook")), "{}", Duration.ofSeconds(30))
                .get(30, TimeUnit.SECONDS);
        assertEquals(200, r.status());
        assertTrue(r.truncated());
        assertEquals(SmallReplyConsumer.LIMIT, r.body().length);
        // The connection is dropped at the limit: the server could not push the 400 MB through.
        Await.until("the reply's connection closed", Duration.ofSeconds(5),
                () -> upstream.openConnections("/hook") == 0);
        assertTrue(upstream.bytesSent("/hook") < 32L * 1024 * 1024, "sent " + upstream.bytesSent("/hook"));
    }

    @Test
    void aSmallReplyIsReadWhole() throws Exception {
        upstream.route("/resolve", ex -> {
            ex.readBody();
            ex.respond(200, "application/json", "{\"next_url\":\"http://a/b\"}".getBytes());
        });
        SmallReply r = client.postJson(URI.create(upstream.url("/resolve")), "{}", Duration.ofSeconds(5))
                .get(5, TimeUnit.SECONDS);
        assertEquals(200, r.status());
        assertEquals("{\"next_url\":\"http://a/b\"}", r.bodyText());
        assertTrue(!r.truncated());
    }
}
