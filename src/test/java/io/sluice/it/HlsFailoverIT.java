package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Await;
import io.sluice.testing.FfmpegCapture;
import io.sluice.testing.LiveHls;
import io.sluice.testing.TestUpstream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * What a viewer sees at an HLS failover to a backup carrying the same programme (issue 11): a real player,
 * ffmpeg, captures every video packet it got; a segment replayed after the failover would show as timestamps
 * that do not move forward. The captures stay within the fixtures' first 24 s, before their loop.
 */
class HlsFailoverIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("STREAM_RETRY_ATTEMPTS", "1", "STREAM_RETRY_DELAY", "0.1"));
    }

    private String registerWithBackup(String primary, String backup) {
        return api.register(upstream.url(primary), "\"failover_urls\":[\"" + upstream.url(backup) + "\"]");
    }

    private static FfmpegCapture.Capture finished(CompletableFuture<FfmpegCapture.Capture> capture) throws Exception {
        return capture.get(120, TimeUnit.SECONDS);
    }

    private static void playedThroughWithoutReplay(FfmpegCapture.Capture c, LiveHls backup) {
        assertEquals("", c.errors());
        assertEquals(0, c.exitCode());
        assertTrue(backup.segmentRequests() > 0, "the player went on from the backup");
        assertEquals(0, c.repeatedTimestamps(), "packets replayed: " + c.dts());
        assertTrue(c.seconds() >= 11.5, "captured " + c.seconds() + " s");
    }

    @Test
    void anAutomaticFailoverOn503ToADatedBackupNumberedOtherwiseReplaysNothing() throws Exception {
        LiveHls primary = LiveHls.serveDated(upstream, "/auto/prim", 1000);
        LiveHls backup = primary.sameProgramme(upstream, "/auto/back", 7, 0);
        String id = registerWithBackup("/auto/prim/index.m3u8", "/auto/back/index.m3u8");
        var capture = FfmpegCapture.start(api.base() + "/hls/" + id + "/playlist.m3u8", 14);
        Await.until("the player is on the primary", Duration.ofSeconds(30), () -> primary.segmentRequests() >= 4);
        upstream.route("/auto/prim/index.m3u8", TestUpstream.status(503));
        playedThroughWithoutReplay(finished(capture), backup);
        assertEquals(0, api.get("/streams/" + id).json().getJsonObject("stream").getInt("current_failover_index"),
                "on the first of the failover URLs");
    }

    @Test
    void aManualFailoverToABackupNumberedAlikeReplaysNothing() throws Exception {
        LiveHls primary = LiveHls.serve(upstream, "/man/prim", 300);
        LiveHls backup = primary.sameProgramme(upstream, "/man/back", 300, 0);
        String id = registerWithBackup("/man/prim/index.m3u8", "/man/back/index.m3u8");
        var capture = FfmpegCapture.start(api.base() + "/hls/" + id + "/playlist.m3u8", 14);
        Await.until("the player is on the primary", Duration.ofSeconds(30), () -> primary.segmentRequests() >= 4);
        assertEquals(200, api.post("/streams/" + id + "/failover", "{}").status());
        playedThroughWithoutReplay(finished(capture), backup);
    }

    /** A one-segment playlist naming {@code dir}/seg.ts, registered; returns the segment's Sluice URL. */
    private String segmentThroughSluice(String dir) throws Exception {
        upstream.route(dir + "/index.m3u8", ex -> ex.respond(200, "application/vnd.apple.mpegurl",
                ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:2.0,\nseg.ts\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String id = api.register(upstream.url(dir + "/index.m3u8"));
        java.net.http.HttpResponse<String> playlist = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(api.base() + "/hls/" + id + "/playlist.m3u8")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return playlist.body().lines().filter(l -> l.contains("segment.ts")).findFirst().orElseThrow();
    }

    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

    @Test
    void aSegmentThatBreaksAfterItsFirstBytesIsResumedWhole() throws Exception {
        byte[] segment = LiveHls.fixtures()[3];
        upstream.route("/brk/seg.ts", TestUpstream.rangedFileBreakingOnce(segment, "video/mp2t", segment.length / 3));
        String url = segmentThroughSluice("/brk");
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertTrue(java.util.Arrays.equals(segment, r.body()), "the player got the whole segment, in one body");
        assertEquals(2, upstream.requests("/brk/seg.ts"), "resumed from where it broke");
    }

    @Test
    void aSegmentWhoseSourceAnswers503AfterItBrokeIsCutVisiblyNeverCleanlyShort() throws Exception {
        byte[] segment = LiveHls.fixtures()[4];
        upstream.route("/cut/seg.ts", TestUpstream.firstThen(
                TestUpstream.resetAfter(segment, segment.length / 3, "video/mp2t"), TestUpstream.status(503)));
        String url = segmentThroughSluice("/cut");
        try {
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            // Only a whole segment may come as a clean 200.
            assertTrue(r.statusCode() != 200 || r.body().length == segment.length,
                    "a clean 200 of " + r.body().length + " of " + segment.length + " bytes");
        } catch (java.io.IOException e) {
            // the player sees the cut: the body ended before its declared length
        }
        assertTrue(upstream.requests("/cut/seg.ts") >= 2, "a resume was tried");
    }
}
