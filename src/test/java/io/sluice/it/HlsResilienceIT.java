package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.FfmpegCapture;
import io.sluice.testing.LiveHls;
import io.sluice.testing.TestUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * HLS behind an out-of-sync load balancer (SPEC 7.2, 9.4): two backends whose live sequences differ by 500.
 * With a sticky lock every refresh goes to one backend; without, the sequence players see stays monotonic
 * anyway, with a discontinuity where the backend changed.
 */
class HlsResilienceIT extends SluiceIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("STREAM_RETRY_ATTEMPTS", "1", "STREAM_RETRY_DELAY", "0.1"));
    }

    private String playlist(String id) throws Exception {
        return get(api.base() + "/hls/" + id + "/playlist.m3u8");
    }

    private static long mediaSequence(String playlist) {
        Matcher m = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(playlist);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Polls like a player: once per (shortened) target duration, past the reuse window of a media playlist. */
    private List<String> poll(String id, int times) throws Exception {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            seen.add(playlist(id));
            Thread.sleep(1100); // a player's refresh interval, not a wait for a condition
        }
        return seen;
    }

    /** Backend b runs on its own port, as backends behind a balancer are other hosts. */
    private TestUpstream backendB;

    @org.junit.jupiter.api.AfterEach
    void stopBackendB() {
        if (backendB != null) {
            backendB.close();
        }
    }

    private void balancer(String lb) {
        backendB = TestUpstream.start();
        LiveHls.serve(upstream, "/a", 1000);
        LiveHls.serve(backendB, "/b", 500);
        upstream.route(lb, TestUpstream.alternatingRedirect(upstream.url("/a/index.m3u8"),
                backendB.url("/b/index.m3u8")));
    }

    @Test
    void stickyLockKeepsEveryRefreshOnOneBackend() throws Exception {
        balancer("/lb1/index.m3u8");
        String id = api.register(upstream.url("/lb1/index.m3u8"), "\"use_sticky_session\":true");
        List<String> seen = poll(id, 5);
        assertEquals(1, upstream.requests("/lb1/index.m3u8"), "only the first request went through the balancer");
        assertEquals(5, upstream.requests("/a/index.m3u8"));
        assertEquals(0, backendB.requests("/b/index.m3u8"));
        long last = -1;
        for (String p : seen) {
            assertTrue(mediaSequence(p) >= last);
            last = mediaSequence(p);
            assertTrue(!p.contains("#EXT-X-DISCONTINUITY\n"), p);
        }
        assertEquals(upstream.url("/a/index.m3u8"),
                api.get("/streams/" + id).json().getJsonObject("stream").getJsonObject("sticky").getString("locked_url"));
    }

    @Test
    void withoutStickyBackendsNumberedApartLookLikeOneSource() throws Exception {
        balancer("/lb2/index.m3u8");
        String id = api.register(upstream.url("/lb2/index.m3u8"), "\"use_sticky_session\":false");
        List<String> seen = poll(id, 12);
        assertTrue(upstream.requests("/a/index.m3u8") >= 4 && backendB.requests("/b/index.m3u8") >= 4,
                "the balancer alternated");
        long last = -1;
        int discontinuities = 0;
        for (String p : seen) {
            long seq = mediaSequence(p);
            assertTrue(seq >= last, "sequence went from " + last + " to " + seq);
            last = seq;
        }
        String lastPlaylist = seen.get(seen.size() - 1);
        discontinuities = (int) lastPlaylist.lines().filter(l -> l.equals("#EXT-X-DISCONTINUITY")).count()
                + (int) tag(lastPlaylist, "EXT-X-DISCONTINUITY-SEQUENCE");
        assertTrue(discontinuities <= 1, discontinuities + " discontinuities for one programme");
        // About 13 s of programme at 2 s a segment: the sequence advances with it, not a window per fetch.
        long advanced = mediaSequence(lastPlaylist) - mediaSequence(seen.get(0));
        assertTrue(advanced >= 4 && advanced <= 9, "advanced " + advanced + " segments in 13 s");
        for (String uri : lastPlaylist.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(uri)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), uri);
        }
    }

    @Test
    void aPlayerBehindABalancerWhoseBackendsAreASegmentApartPlaysEverySegmentOnce() throws Exception {
        backendB = TestUpstream.start();
        LiveHls a = LiveHls.serve(upstream, "/sa", 4000);
        a.sameProgramme(backendB, "/sb", 4000, 1);
        upstream.route("/lb3/index.m3u8", TestUpstream.alternatingRedirect(upstream.url("/sa/index.m3u8"),
                backendB.url("/sb/index.m3u8")));
        String id = api.register(upstream.url("/lb3/index.m3u8"), "\"use_sticky_session\":false");
        FfmpegCapture.Capture c = FfmpegCapture.start(api.base() + "/hls/" + id + "/playlist.m3u8", 20)
                .get(120, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("", c.errors());
        assertEquals(0, c.exitCode());
        assertTrue(backendB.requests("/sb/index.m3u8") >= 2, "the balancer sent Sluice to both backends");
        assertEquals(0, c.repeatedTimestamps(), "packets replayed: " + c.dts());
        assertTrue(c.seconds() >= 17.5, "captured " + c.seconds() + " s");
    }

    @Test
    void aPlayerBehindABalancerWhoseBackendsAreNumberedApartPlaysOn() throws Exception {
        backendB = TestUpstream.start();
        LiveHls a = LiveHls.serve(upstream, "/na", 1000);
        a.sameProgramme(backendB, "/nb", 500, 0);
        upstream.route("/lb4/index.m3u8", TestUpstream.alternatingRedirect(upstream.url("/na/index.m3u8"),
                backendB.url("/nb/index.m3u8")));
        String id = api.register(upstream.url("/lb4/index.m3u8"), "\"use_sticky_session\":false");
        FfmpegCapture.Capture c = FfmpegCapture.start(api.base() + "/hls/" + id + "/playlist.m3u8", 20)
                .get(120, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("", c.errors());
        assertEquals(0, c.exitCode());
        assertTrue(backendB.requests("/nb/index.m3u8") >= 2, "the balancer sent Sluice to both backends");
        assertEquals(0, c.repeatedTimestamps(), "packets replayed: " + c.dts());
        assertTrue(c.seconds() >= 17.5, "captured " + c.seconds() + " s");
    }

    private static long tag(String playlist, String name) {
        Matcher m = Pattern.compile("#" + name + ":(\\d+)").matcher(playlist);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void aDeadPrimaryPlaylistFailsOverAndTheSequenceCarriesOn() throws Exception {
        LiveHls.serve(upstream, "/prim", 2000);
        LiveHls.serve(upstream, "/back", 7);
        String id = api.register(upstream.url("/prim/index.m3u8"),
                "\"failover_urls\":[\"" + upstream.url("/back/index.m3u8") + "\"]");
        long before = mediaSequence(playlist(id));
        upstream.route("/prim/index.m3u8", TestUpstream.status(502));
        // The backup's segments already shown are not shown again: the sequence moves on with its next one.
        String[] after = new String[1];
        io.sluice.testing.Await.until("the sequence carries on from the backup", Duration.ofSeconds(15), () -> {
            try {
                after[0] = playlist(id);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return mediaSequence(after[0]) > before;
        });
        assertTrue(after[0].contains("#EXT-X-DISCONTINUITY"), after[0]);
        assertEquals(0, api.get("/streams/" + id).json().getJsonObject("stream").getInt("current_failover_index"));
    }

    private String get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void playersOnAVariantFollowTheMasterToTheBackupWhenThePrimaryDies() throws Exception {
        LiveHls.serve(upstream, "/mprim", 2000);
        LiveHls.serve(upstream, "/mback", 7);
        String id = api.register(upstream.url("/mprim/master.m3u8"),
                "\"failover_urls\":[\"" + upstream.url("/mback/master.m3u8") + "\"]");
        String variant = uris(playlist(id)).get(0); // players keep this and rarely load the master again
        long before = mediaSequence(get(variant));
        upstream.route("/mprim/master.m3u8", TestUpstream.status(502));
        upstream.route("/mprim/index.m3u8", TestUpstream.status(502));
        Thread.sleep(1100); // the player's next refresh, past the reuse window
        get(variant);
        assertEquals(1, upstream.requests("/mback/index.m3u8"), "the same variant, from the backup's master");
        String after = nextNewSegment(variant, before);
        assertTrue(after.contains("#EXT-X-DISCONTINUITY"), after);
        assertEquals(0, api.get("/streams/" + id).json().getJsonObject("stream").getInt("current_failover_index"));
    }

    @Test
    void aManualFailoverMovesPlayersOnAVariantToo() throws Exception {
        LiveHls.serve(upstream, "/vprim", 3000);
        LiveHls.serve(upstream, "/vback", 11);
        String id = api.register(upstream.url("/vprim/master.m3u8"),
                "\"failover_urls\":[\"" + upstream.url("/vback/master.m3u8") + "\"]");
        String variant = uris(playlist(id)).get(0);
        long before = mediaSequence(get(variant));
        assertEquals(200, api.post("/streams/" + id + "/failover", "").status());
        int primaryPolls = upstream.requests("/vprim/index.m3u8");
        String after = get(variant);
        assertEquals(1, upstream.requests("/vback/index.m3u8"), "served from the backup at once");
        assertEquals(primaryPolls, upstream.requests("/vprim/index.m3u8"), "the old source is not asked again");
        assertTrue(mediaSequence(after) >= before, before + " then " + mediaSequence(after));
        // What the backup has that players were shown is not shown again; its next segment comes after a seam.
        assertTrue(nextNewSegment(variant, before).contains("#EXT-X-DISCONTINUITY"));
    }

    /** Refreshes {@code url} as a player would until a segment newer than those shown with {@code before} comes. */
    private String nextNewSegment(String url, long before) {
        String[] seen = new String[1];
        io.sluice.testing.Await.until("a new segment", Duration.ofSeconds(15), () -> {
            try {
                seen[0] = get(url);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return mediaSequence(seen[0]) > before;
        });
        return seen[0];
    }

    @Test
    void aDeadVariantIsAFailureOfItsSourceEvenWhileTheMasterStillAnswers() throws Exception {
        LiveHls.serve(upstream, "/dprim", 4000);
        LiveHls.serve(upstream, "/dback", 3);
        String id = api.register(upstream.url("/dprim/master.m3u8"),
                "\"failover_urls\":[\"" + upstream.url("/dback/master.m3u8") + "\"]");
        String variant = uris(playlist(id)).get(0);
        long before = mediaSequence(get(variant));
        upstream.route("/dprim/index.m3u8", TestUpstream.status(503)); // the master still answers
        Thread.sleep(1100); // the player's next refresh, past the reuse window
        get(variant);
        assertEquals(1, upstream.requests("/dback/index.m3u8"));
        String after = nextNewSegment(variant, before);
        assertTrue(after.contains("#EXT-X-DISCONTINUITY"), after);
        assertEquals(0, api.get("/streams/" + id).json().getJsonObject("stream").getInt("current_failover_index"));
        assertTrue(api.get("/events").body().contains("failover_triggered"));
    }

    /** A master naming {@code variants} (absolute URLs), each as a video variant. */
    private static TestUpstream.Handler master(String... variants) {
        StringBuilder b = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n");
        for (int i = 0; i < variants.length; i++) {
            b.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(100000 * (i + 1)).append('\n').append(variants[i]).append('\n');
        }
        return ex -> ex.respond(200, "application/vnd.apple.mpegurl", b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static List<String> uris(String playlist) {
        return playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    @Test
    void manyVariantsFailingTogetherMoveTheStreamOnceNotPastAHealthyBackup() throws Exception {
        List<String> prim = new ArrayList<>();
        List<String> back1 = new ArrayList<>();
        List<String> back2 = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LiveHls.serve(upstream, "/p" + i, 100);
            LiveHls.serve(upstream, "/ba" + i, 5);
            LiveHls.serve(upstream, "/bb" + i, 9);
            prim.add(upstream.url("/p" + i + "/index.m3u8"));
            back1.add(upstream.url("/ba" + i + "/index.m3u8"));
            back2.add(upstream.url("/bb" + i + "/index.m3u8"));
        }
        upstream.route("/pm/master.m3u8", master(prim.toArray(String[]::new)));
        upstream.route("/bam/master.m3u8", master(back1.toArray(String[]::new)));
        upstream.route("/bbm/master.m3u8", master(back2.toArray(String[]::new)));
        String id = api.register(upstream.url("/pm/master.m3u8"), "\"failover_urls\":[\"" + upstream.url("/bam/master.m3u8")
                + "\",\"" + upstream.url("/bbm/master.m3u8") + "\"]");
        List<String> variants = uris(playlist(id));
        assertEquals(3, variants.size());
        for (String v : variants) {
            get(v);
        }
        upstream.route("/pm/master.m3u8", TestUpstream.status(502));
        for (int i = 0; i < 3; i++) {
            upstream.route("/p" + i + "/index.m3u8", TestUpstream.status(502));
        }
        Thread.sleep(1100); // the players' next refresh, past the reuse window
        List<java.util.concurrent.CompletableFuture<String>> all = variants.stream()
                .map(v -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return get(v);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                })).toList();
        for (var f : all) {
            assertTrue(f.get(30, java.util.concurrent.TimeUnit.SECONDS).contains("#EXTINF"));
        }
        assertEquals(0, api.get("/streams/" + id).json().getJsonObject("stream").getInt("current_failover_index"),
                "one failover, to the first backup, which answers");
        assertEquals(0, upstream.requests("/bbm/master.m3u8"), "the second backup was never needed");
        for (int i = 0; i < 3; i++) {
            assertEquals(1, upstream.requests("/ba" + i + "/index.m3u8"), "each player kept its own variant: " + i);
        }
    }

    @Test
    void aVariantFollowsToAVariantOfTheBackupNeverToAnotherKindOfPlaylist() throws Exception {
        LiveHls.serve(upstream, "/kv0", 100);
        LiveHls.serve(upstream, "/kv1", 100);
        LiveHls.serve(upstream, "/kaudio", 100);
        LiveHls.serve(upstream, "/kb0", 5);
        LiveHls.serve(upstream, "/kbiframe", 5);
        String primary = "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"" + upstream.url("/kaudio/index.m3u8")
                + "\"\n#EXT-X-STREAM-INF:BANDWIDTH=100000,AUDIO=\"a\"\n" + upstream.url("/kv0/index.m3u8")
                + "\n#EXT-X-STREAM-INF:BANDWIDTH=200000,AUDIO=\"a\"\n" + upstream.url("/kv1/index.m3u8") + "\n";
        String backup = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=100000\n" + upstream.url("/kb0/index.m3u8")
                + "\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=10000,URI=\"" + upstream.url("/kbiframe/index.m3u8") + "\"\n";
        upstream.route("/km/master.m3u8", ex -> ex.respond(200, "application/vnd.apple.mpegurl",
                primary.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        upstream.route("/kbm/master.m3u8", ex -> ex.respond(200, "application/vnd.apple.mpegurl",
                backup.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String id = api.register(upstream.url("/km/master.m3u8"),
                "\"failover_urls\":[\"" + upstream.url("/kbm/master.m3u8") + "\"]");
        String secondVariant = uris(playlist(id)).get(1);
        get(secondVariant);
        upstream.route("/km/master.m3u8", TestUpstream.status(502));
        upstream.route("/kv1/index.m3u8", TestUpstream.status(502));
        Thread.sleep(1100);
        get(secondVariant);
        assertEquals(1, upstream.requests("/kb0/index.m3u8"), "the backup's only video variant");
        assertEquals(0, upstream.requests("/kbiframe/index.m3u8"), "never its I-frame playlist");
    }
}
