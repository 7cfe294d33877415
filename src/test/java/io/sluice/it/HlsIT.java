package io.sluice.it;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.config.Settings;
import io.sluice.hls.SegmentReferences;
import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.LiveHls;
import io.sluice.testing.TestUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** HLS through the deployed WAR: rewritten playlists, signed segments, coalesced fetches, Range. */
class HlsIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static List<String> uriLines(String playlist) {
        return Arrays.stream(playlist.split("\n")).filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    @Test
    void masterVariantAndSegmentsAllGoThroughSluice() throws Exception {
        LiveHls hls = LiveHls.serve(upstream, "/live/ch1", 1000);
        String id = api.register(upstream.url("/live/ch1/master.m3u8"));
        String hlsBase = api.base() + "/hls/" + id;

        HttpResponse<byte[]> master = get(hlsBase + "/playlist.m3u8");
        assertEquals(200, master.statusCode());
        assertEquals("application/vnd.apple.mpegurl", master.headers().firstValue("Content-Type").orElse(""));
        List<String> variants = uriLines(text(master));
        assertEquals(1, variants.size());
        assertTrue(variants.get(0).startsWith(hlsBase + "/playlist.m3u8?v="), variants.get(0));

        String media = text(get(variants.get(0)));
        assertEquals(1, hls.mediaPlaylistRequests(), "the variant is fetched from its own URL");
        List<String> segments = uriLines(media);
        assertEquals(3, segments.size(), media);
        for (String s : segments) {
            assertTrue(s.startsWith(hlsBase + "/segment.ts?r="), s);
        }
        assertTrue(media.contains("#EXT-X-MEDIA-SEQUENCE:"), "other lines are kept");

        long firstSeq = Long.parseLong(media.replaceAll("(?s).*#EXT-X-MEDIA-SEQUENCE:(\\d+).*", "$1"));
        HttpResponse<byte[]> seg = get(segments.get(0));
        assertEquals(200, seg.statusCode());
        assertArrayEquals(hls.segment(firstSeq), seg.body());
        assertEquals(1, upstream.requests("/live/ch1/seg-" + firstSeq + ".ts"));

        HttpResponse<byte[]> part = get(segments.get(0), "Range", "bytes=100-199");
        assertEquals(206, part.statusCode());
        assertArrayEquals(Arrays.copyOfRange(hls.segment(firstSeq), 100, 200), part.body());
        assertEquals("bytes 100-199/" + hls.segment(firstSeq).length,
                part.headers().firstValue("Content-Range").orElse(""));

        assertEquals("HLS", api.get("/streams/" + id).json().getJsonObject("stream").getString("stream_type"));
        assertEquals(1, api.clientCount(id), "playlist and segments of one player are one session");
    }

    @Test
    void relativeUrisResolveAgainstTheUrlReachedThroughA302() throws Exception {
        LiveHls hls = LiveHls.serve(upstream, "/backend-2/ch", 5);
        upstream.route("/entry/ch.m3u8", TestUpstream.redirect(302, upstream.url("/backend-2/ch/index.m3u8")));
        String id = api.register(upstream.url("/entry/ch.m3u8"));
        String media = text(get(api.base() + "/hls/" + id + "/playlist.m3u8"));
        String seg = uriLines(media).get(0);
        long firstSeq = Long.parseLong(media.replaceAll("(?s).*#EXT-X-MEDIA-SEQUENCE:(\\d+).*", "$1"));
        assertArrayEquals(hls.segment(firstSeq), get(seg).body());
        assertEquals(1, upstream.requests("/backend-2/ch/seg-" + firstSeq + ".ts"));
    }

    @Test
    void onlySignedReferencesOfThisStreamAreFetched() throws Exception {
        LiveHls.serve(upstream, "/live/ch2", 0);
        String id = api.register(upstream.url("/live/ch2/index.m3u8"));
        String other = api.register(upstream.url("/live/ch2/index.m3u8?other=1"));
        String seg = uriLines(text(get(api.base() + "/hls/" + id + "/playlist.m3u8"))).get(0);
        String ref = seg.substring(seg.indexOf("?r=") + 3);

        // One byte changed, anywhere in the reference.
        for (int i : new int[]{0, ref.length() / 2, ref.length() - 1}) {
            char c = ref.charAt(i);
            String tampered = ref.substring(0, i) + (c == 'A' ? 'B' : 'A') + ref.substring(i + 1);
            assertEquals(403, get(api.base() + "/hls/" + id + "/segment.ts?r=" + tampered).statusCode());
        }
        // A valid reference of another stream.
        assertEquals(403, get(api.base() + "/hls/" + other + "/segment.ts?r=" + ref).statusCode());
        // Local files and made-up URLs, unsigned or signed with a guessed key.
        String file = Base64.getUrlEncoder().withoutPadding().encodeToString("file:///etc/passwd".getBytes());
        assertEquals(403, get(api.base() + "/hls/" + id + "/segment.ts?r=" + file + ".9999999999.AAAA").statusCode());
        SegmentReferences guessed = SegmentReferences.withKey("guess", Settings.from(n -> null));
        String foreign = guessed.sign(id, URI.create(upstream.url("/live/ch2/seg-1.ts")));
        assertEquals(403, get(api.base() + "/hls/" + id + "/segment.ts?r=" + foreign).statusCode());
        assertEquals(403, get(api.base() + "/hls/" + id + "/playlist.m3u8?v=" + foreign).statusCode());
        assertEquals(403, get(api.base() + "/hls/" + id + "/segment.ts").statusCode());
        assertEquals(0, upstream.requests("/live/ch2/seg-1.ts"));
        // Expired: signed with the deployment's key (IT setting), an expiry in the past.
        SegmentReferences known = SegmentReferences.withKey("it-signing-key",
                Settings.from(java.util.Map.of("SEGMENT_REFERENCE_TTL", "10")::get));
        String valid = known.sign(id, URI.create(upstream.url("/live/ch2/seg-2.ts")));
        assertEquals(200, get(api.base() + "/hls/" + id + "/segment.ts?r=" + valid).statusCode(),
                "a fresh reference signed with the deployment's key works, so the next refusal is the expiry");
        String expired = known.sign(id, URI.create(upstream.url("/live/ch2/seg-2.ts")), System.currentTimeMillis() / 1000 - 1);
        assertEquals(403, get(api.base() + "/hls/" + id + "/segment.ts?r=" + expired).statusCode());
    }

    @Test
    void aFailedSegmentIsAnErrorStatusNotATruncated200() throws Exception {
        upstream.route("/vod/show/index.m3u8", ex -> ex.respond(200, "application/vnd.apple.mpegurl",
                "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nbroken.ts\n#EXTINF:2,\nhtml.ts\n#EXT-X-ENDLIST\n"
                        .getBytes()));
        upstream.route("/vod/show/broken.ts", TestUpstream.status(500));
        upstream.route("/vod/show/html.ts", TestUpstream.htmlAsVideo());
        String id = api.register(upstream.url("/vod/show/index.m3u8"));
        List<String> segs = uriLines(text(get(api.base() + "/hls/" + id + "/playlist.m3u8")));
        HttpResponse<byte[]> broken = get(segs.get(0));
        assertEquals(502, broken.statusCode());
        assertTrue(text(broken).contains("\"detail\""));
        assertEquals(502, get(segs.get(1)).statusCode());
    }

    @Test
    void htmlOrNothingWhereAPlaylistWasExpectedIs502() throws Exception {
        upstream.route("/x/index.m3u8", TestUpstream.htmlAsVideo());
        String id = api.register(upstream.url("/x/index.m3u8"));
        HttpResponse<byte[]> r = get(api.base() + "/hls/" + id + "/playlist.m3u8");
        assertEquals(502, r.statusCode());
        assertTrue(text(r).contains("HTML"), text(r));
        upstream.route("/y/index.m3u8", TestUpstream.file(new byte[0], "application/vnd.apple.mpegurl"));
        assertEquals(502, get(api.base() + "/hls/" + api.register(upstream.url("/y/index.m3u8")) + "/playlist.m3u8")
                .statusCode());
    }

    @Test
    void aTsUrlThatServesAPlaylistIsHandledAsHls() throws Exception {
        LiveHls.serve(upstream, "/disguised", 0);
        upstream.route("/live/user/pass/42.ts", ex -> ex.respond(200, "application/vnd.apple.mpegurl",
                LiveHls.resource("/hls/media.m3u8")));
        String id = api.register(upstream.url("/live/user/pass/42.ts"));
        HttpResponse<byte[]> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(HttpRequest.newBuilder(URI.create(api.base() + "/stream/" + id)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertTrue(text(r).startsWith("#EXTM3U"), "the player ends up with the rewritten playlist");
        assertEquals("HLS", api.get("/streams/" + id).json().getJsonObject("stream").getString("stream_type"));
    }

    @Test
    void hlsPlayerSessionsEndAfterClientTimeout() throws Exception {
        LiveHls.serve(upstream, "/live/ch3", 0);
        String id = api.register(upstream.url("/live/ch3/index.m3u8"));
        get(api.base() + "/hls/" + id + "/playlist.m3u8?client_id=tv-1");
        get(api.base() + "/hls/" + id + "/playlist.m3u8?client_id=tv-2");
        assertEquals(2, api.clientCount(id));
        Await.until("sessions expire (CLIENT_TIMEOUT=2 s)", Duration.ofSeconds(5), () -> api.clientCount(id) == 0);
    }

    /** 100 players polling one live playlist for 20 s: the upstream sees at most 2 fetches per target duration. */
    @Test
    void oneUpstreamFetchServesEveryPlayer() throws Exception {
        LiveHls hls = LiveHls.serve(upstream, "/live/popular", 0);
        String id = api.register(upstream.url("/live/popular/index.m3u8"));
        String url = api.base() + "/hls/" + id + "/playlist.m3u8";
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger bad = new AtomicInteger();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Thread> players = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String mine = url + "?client_id=p" + i;
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        if (get(mine).statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            bad.incrementAndGet();
                        }
                        Thread.sleep(200); // a player polling faster than any real one would
                    } catch (Exception e) {
                        bad.incrementAndGet();
                        return;
                    }
                }
            });
            t.start();
            players.add(t);
        }
        for (Thread t : players) {
            t.join(30_000);
        }
        int fetches = hls.mediaPlaylistRequests();
        System.out.printf("HLS coalescing: %d player playlist requests, %d upstream fetches in 20 s "
                + "(target duration 2 s)%n", ok.get(), fetches);
        assertEquals(0, bad.get());
        assertTrue(ok.get() > 2000, "players polled " + ok.get() + " times");
        assertTrue(fetches <= 2 * 10 + 1, fetches + " upstream fetches for 10 target durations");
        assertEquals(100, api.clientCount(id));
    }
}
