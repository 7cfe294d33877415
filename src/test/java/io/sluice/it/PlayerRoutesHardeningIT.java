package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.LiveHls;
import io.sluice.testing.LiveTs;
import io.sluice.testing.TestUpstream;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * What a player, a hostile provider or a curious viewer can do through the public player routes (issue 13):
 * wrong routes and impossible ranges are the player's own mistakes, never a source's failure; nothing but media
 * is served, marked so a browser never runs it; references reveal no provider URL; a stream's headers stay with
 * its own hosts; and a body that broke for good reaches the player as broken.
 */
class PlayerRoutesHardeningIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonObject stats(String id) {
        return api.get("/streams/" + id).json().getJsonObject("stream");
    }

    /** Events that would blame a source: failovers, failed streams, invalid marks. */
    private int blamingEvents(String id) {
        int n = 0;
        for (String type : new String[]{"failover_triggered", "stream_failed", "source_marked_invalid"}) {
            Api.Reply r = api.get("/events?stream_id=" + id + "&type=" + type);
            n += r.json().getJsonArray("events").size();
        }
        return n;
    }

    // ---- item 3: a player's mistake is not the source's failure ----

    @Test
    void theHlsRouteOfALiveTsStreamIsRefusedWithoutTouchingItsSources() throws Exception {
        upstream.route("/live/ch.ts", TestUpstream.liveTs(100_000));
        upstream.route("/backup/ch.ts", TestUpstream.liveTs(100_000));
        String id = api.register(upstream.url("/live/ch.ts"),
                "\"failover_urls\":[\"" + upstream.url("/backup/ch.ts") + "\"]");

        HttpResponse<byte[]> r = get(api.base() + "/hls/" + id + "/playlist.m3u8");
        assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, "a 4xx, not " + r.statusCode());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("\"detail\""));

        assertEquals(0, upstream.requests("/live/ch.ts"), "no upstream request for a player's mistake");
        assertEquals(0, upstream.requests("/backup/ch.ts"));
        JsonObject s = stats(id);
        assertEquals(-1, s.getInt("current_failover_index"));
        assertEquals(0, s.getInt("failover_attempts"));
        assertEquals(0, s.getInt("error_count"));
        assertEquals(0, blamingEvents(id), "no failover, no failure");
    }

    @Test
    void aRangePastTheEndGetsTheUpstreams416AndNoFailover() throws Exception {
        byte[] film = new byte[256 * 1024];
        upstream.route("/movie/a.mp4", TestUpstream.rangedFile(film, "video/mp4"));
        upstream.route("/movie/b.mp4", TestUpstream.rangedFile(film, "video/mp4"));
        String id = api.register(upstream.url("/movie/a.mp4"),
                "\"failover_urls\":[\"" + upstream.url("/movie/b.mp4") + "\"]");

        HttpResponse<byte[]> r = get(playerUrl(id), "Range", "bytes=999999999-");
        assertEquals(416, r.statusCode());
        assertEquals("bytes */" + film.length, r.headers().firstValue("Content-Range").orElse(""));

        assertEquals(0, upstream.requests("/movie/b.mp4"), "the backup was never asked");
        JsonObject s = stats(id);
        assertEquals(-1, s.getInt("current_failover_index"));
        assertEquals(0, s.getInt("failover_attempts"));
        assertEquals(0, s.getInt("error_count"), "the source is not blamed");
        assertEquals(0, blamingEvents(id), "no failover, no failure");
        // The stream still plays from its primary.
        assertEquals(200, get(playerUrl(id)).statusCode());
    }

    // ---- item 5: media only, never a page ----

    @Test
    void everyPlayerAnswerIsMarkedAsMediaThatMustNotBeSniffedOrRun() throws Exception {
        upstream.route("/live/m.ts", TestUpstream.file(LiveTs.packets(0, 50), "video/mp2t"));
        LiveHls.serve(upstream, "/hls/ch", 10);
        String live = api.register(upstream.url("/live/m.ts"));
        String hls = api.register(upstream.url("/hls/ch/master.m3u8"));

        for (String url : new String[]{playerUrl(live), api.base() + "/hls/" + hls + "/playlist.m3u8",
                api.base() + "/stream/0123456789abcdef0123456789abcdef", api.base() + "/hls/" + hls + "/segment.ts?r=x"}) {
            HttpResponse<byte[]> r = get(url);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), url);
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("sandbox") && csp.contains("default-src 'none'"), url + ": " + csp);
        }
    }

    @Test
    void anUpstreamBodyThatCouldRunScriptIsAFailedUpstream() throws Exception {
        byte[] svg = "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
                .getBytes(StandardCharsets.UTF_8);
        String[][] cases = {
                {"/movie/svg.mp4", "image/svg+xml"},
                {"/movie/xhtml.mp4", "application/xhtml+xml"},
                {"/movie/xml.mp4", "text/xml"},
                {"/movie/js.mp4", "text/javascript; charset=utf-8"},
                {"/live/svg.ts", "image/svg+xml"},
        };
        for (String[] c : cases) {
            upstream.route(c[0], TestUpstream.file(svg, c[1]));
            String id = api.register(upstream.url(c[0]));
            HttpResponse<byte[]> r = get(playerUrl(id));
            assertEquals(502, r.statusCode(), c[1] + " must not be served");
            assertFalse(new String(r.body(), StandardCharsets.UTF_8).contains("<script>"), c[1]);
        }
        // A segment named by a playlist, served as SVG.
        upstream.route("/evil/index.m3u8", ex -> ex.respond(200, "application/vnd.apple.mpegurl",
                "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:2,\nseg.ts\n"
                        .getBytes(StandardCharsets.UTF_8)));
        upstream.route("/evil/seg.ts", TestUpstream.file(svg, "image/svg+xml"));
        String id = api.register(upstream.url("/evil/index.m3u8"));
        String playlist = new String(get(api.base() + "/hls/" + id + "/playlist.m3u8").body(), StandardCharsets.UTF_8);
        String segment = Arrays.stream(playlist.split("\n")).filter(l -> l.startsWith("http")).findFirst().orElseThrow();
        assertEquals(502, get(segment).statusCode());
    }

    @Test
    void theConsoleRunsOnlyItsOwnScript() throws Exception {
        HttpResponse<byte[]> r = get(api.base() + "/console");
        assertEquals(200, r.statusCode());
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        String scripts = Arrays.stream(csp.split(";")).map(String::strip).filter(d -> d.startsWith("script-src"))
                .findFirst().orElse("");
        assertTrue(scripts.contains("'sha256-"), csp);
        assertFalse(scripts.contains("unsafe-inline"), "inline script other than the page's own must not run: " + csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    }

    // ---- item 6: opaque references, headers for the stream's own hosts ----

    @Test
    void playlistsRevealNoProviderUrlOrCredentials() throws Exception {
        upstream.route("/live/alice/s3cret/index.m3u8", ex -> ex.respond(200, "application/vnd.apple.mpegurl",
                ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:2,\n"
                        + "seg-1.ts?token=alice-s3cret\n").getBytes(StandardCharsets.UTF_8)));
        String id = api.register(upstream.url("/live/alice/s3cret/index.m3u8"));
        String playlist = new String(get(api.base() + "/hls/" + id + "/playlist.m3u8").body(), StandardCharsets.UTF_8);
        String segment = Arrays.stream(playlist.split("\n")).filter(l -> l.startsWith("http")).findFirst().orElseThrow();
        String ref = segment.substring(segment.indexOf("?r=") + 3);
        for (String reading : new String[]{ref, decodedParts(ref)}) {
            for (String secret : new String[]{"alice", "s3cret", "seg-1.ts", "127.0.0.1:" + upstream.port()}) {
                assertFalse(reading.contains(secret), "a player can read " + secret + " in " + segment);
            }
        }
    }

    private static String decodedParts(String ref) {
        StringBuilder all = new StringBuilder();
        for (String part : ref.split("[.&]")) {
            try {
                all.append(new String(java.util.Base64.getUrlDecoder().decode(part), StandardCharsets.ISO_8859_1));
            } catch (IllegalArgumentException notBase64) {
                // nothing readable
            }
        }
        return all.toString();
    }

    @Test
    void aStreamsHeadersGoOnlyToItsOwnHosts() throws Exception {
        try (TestUpstream cdn = TestUpstream.start()) {
            cdn.route("/seg-1.ts", TestUpstream.file(LiveTs.packets(0, 20), "video/mp2t"));
            cdn.route("/movie.mp4", TestUpstream.rangedFile(new byte[4096], "video/mp4"));
            upstream.route("/live/index.m3u8", ex -> ex.respond(200, "application/vnd.apple.mpegurl",
                    ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:2,\n"
                            + cdn.url("/seg-1.ts") + "\n").getBytes(StandardCharsets.UTF_8)));
            upstream.route("/movie/redirected.mp4", TestUpstream.redirect(302, cdn.url("/movie.mp4")));
            String headers = "\"headers\":{\"Authorization\":\"Bearer provider-secret\",\"X-Provider-Key\":\"k1\"}";
            String hls = api.register(upstream.url("/live/index.m3u8"), headers);
            String vod = api.register(upstream.url("/movie/redirected.mp4"), headers);

            String playlist = new String(get(api.base() + "/hls/" + hls + "/playlist.m3u8").body(), StandardCharsets.UTF_8);
            String segment = Arrays.stream(playlist.split("\n")).filter(l -> l.startsWith("http")).findFirst().orElseThrow();
            assertEquals(200, get(segment).statusCode());
            assertEquals(4096, get(playerUrl(vod)).body().length, "a redirect to another host is still followed");

            Map<String, String> own = upstream.requestHeaders("/live/index.m3u8").get(0);
            assertEquals("Bearer provider-secret", own.get("authorization"), "the stream's own host gets them");
            assertEquals("k1", own.get("x-provider-key"));
            assertEquals("k1", upstream.requestHeaders("/movie/redirected.mp4").get(0).get("x-provider-key"));
            for (String path : new String[]{"/seg-1.ts", "/movie.mp4"}) {
                Map<String, String> other = cdn.requestHeaders(path).get(0);
                assertNull(other.get("authorization"), path + " on another host got the stream's Authorization");
                assertNull(other.get("x-provider-key"), path + " on another host got the stream's headers");
            }
        }
    }

    // ---- item 11: a body broken for good is seen as broken ----

    @Test
    void aChunkedVodBodyThatBreaksWithoutResumeReachesThePlayerAsBroken() throws Exception {
        byte[] film = new byte[512 * 1024];
        new Random(11).nextBytes(film);
        // No length, no ranges: once it breaks there is nothing to resume from.
        upstream.route("/movie/chunked.mp4", ex -> {
            ex.head(200, "video/mp4", -1);
            ex.body(film, 0, 200 * 1024);
            ex.reset();
        });
        String id = api.register(upstream.url("/movie/chunked.mp4"));
        IOException broken = assertThrows(IOException.class, () -> get(playerUrl(id)),
                "the player must see a broken transfer, not a complete shorter file");
        assertTrue(broken.getMessage() == null || !broken.getMessage().isEmpty());
    }
}
