package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.Player;
import io.sluice.testing.TestMedia;
import io.sluice.testing.TestUpstream;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Transcoding (SPEC 12) with Debian's ffmpeg: a real H.264/AAC source served live on loopback, transcoded by
 * one FFmpeg per stream into the live relay, checked by ffprobe on what a player received.
 */
class TranscodeIT extends SluiceIT {
    private static final String SMALL = "-vf scale=160:120 -c:v libx264 -preset ultrafast -b:v 150k -c:a aac -b:a 48k";

    @Deployment(testable = false)
    static WebArchive deployment() {
        // FFmpeg's first output follows a second of probing; the base 2 s chunk timeout is too tight for that.
        return war(Map.of("LIVE_CHUNK_TIMEOUT_SECONDS", "10", "TRANSCODE_MAX_PROCESSES", "2"));
    }

    private String transcode(String path, String extra) {
        String body = "{\"url\":\"" + upstream.url(path) + "\",\"profile\":\"" + SMALL + "\"" + extra + "}";
        Api.Reply r = api.post("/transcode", body);
        assertEquals(200, r.status(), r.body());
        return r.json().getString("stream_id");
    }

    private void serveSource(String path) {
        upstream.route(path, TestUpstream.paced(TestMedia.sourceTs(), TestMedia.bytesPerSecond(2)));
    }

    @Test
    void profilesAreListedWithTheirParametersAndFfmpeg() {
        JsonObject p = api.get("/transcode/profiles").json();
        List<String> names = p.getJsonArray("profiles").stream().map(v -> v.asJsonObject().getString("name")).toList();
        assertEquals(List.of("default", "hq", "lowlatency", "720p", "1080p", "hevc", "audio"), names);
        assertTrue(p.getJsonArray("profiles").getJsonObject(3).getString("parameters").contains("scale=-2:720"));
        assertTrue(p.getJsonObject("ffmpeg").getBoolean("available"));
        assertTrue(p.getJsonObject("ffmpeg").getString("version").startsWith("ffmpeg version"));
        JsonObject info = api.get("/info").json().getJsonObject("transcoding");
        assertTrue(info.getBoolean("enabled"));
        assertTrue(info.getJsonObject("profiles").containsKey("720p"), info.toString());
    }

    @Test
    void twoPlayersGetOneTranscodedStreamFromOneFfmpeg() throws Exception {
        serveSource("/live/src.ts");
        Api.Reply created = api.post("/transcode", "{\"url\":\"" + upstream.url("/live/src.ts") + "\",\"profile\":\"" + SMALL
                + "\",\"metadata\":{\"channel_id\":\"9\"}}");
        assertEquals(200, created.status(), created.body());
        JsonObject c = created.json();
        String id = c.getString("stream_id");
        assertEquals("transcoded", c.getString("stream_type"));
        assertEquals("/stream/" + id, c.getString("stream_endpoint"));
        assertEquals("custom", c.getString("profile"));
        assertEquals("mpegts", c.getString("format"));
        assertTrue(c.getJsonArray("ffmpeg_args").toString().contains("scale=160:120"));

        try (Player one = Player.play(playerUrl(id), 400_000); Player two = Player.play(playerUrl(id) + "?client_id=b", 1024)) {
            Await.until("both players receiving transcoded bytes", Duration.ofSeconds(20),
                    () -> one.captured() >= 400_000 && two.total() > 50_000);
            assertEquals(200, one.status());
            assertEquals("video/mp2t", one.header("Content-Type"));
            assertEquals(1, upstream.requests("/live/src.ts"), "one FFmpeg reads the source for both players");
            Probe probe = probe(one.capturedBytes());
            assertEquals("h264 160x120", probe.video(), probe.raw());
            assertEquals("aac", probe.audio(), probe.raw());
        }
        assertEquals("9", api.get("/streams/" + id).json().getJsonObject("stream").getJsonObject("metadata").getString("channel_id"));
        assertEquals(200, api.delete("/streams/" + id).status());
        Await.until("no FFmpeg left running", Duration.ofSeconds(10), () -> transcoders() == 0);
        Await.until("the source let go", Duration.ofSeconds(10), () -> upstream.openConnections("/live/src.ts") == 0);
    }

    private double transcoders() {
        return io.sluice.testing.PrometheusText.value(io.sluice.testing.PrometheusText.parse(api.get("/metrics").body()),
                "sluice_transcoders");
    }

    /** M3U Editor's stock default profile, verbatim from its migration, as the editor posts it. */
    private static final String EDITOR_DEFAULT = "-fflags +genpts+discardcorrupt+igndts -i {input_url} -c:v libx264 "
            + "-preset faster -b:v {bitrate|2000k} -maxrate {maxrate|2500k} -bufsize {bufsize|2500k} -c:a aac "
            + "-b:a {audio_bitrate|128k} -f mpegts {output_args|pipe:1}";

    @Test
    void theEditorsStockDefaultProfilePlaysAndTheStreamIsMarkedTranscoded() throws Exception {
        serveSource("/live/editor.ts");
        Api.Reply created = api.post("/transcode", "{\"url\":\"" + upstream.url("/live/editor.ts") + "\",\"profile\":\""
                + EDITOR_DEFAULT + "\",\"profile_variables\":{\"bitrate\":\"300k\"},"
                + "\"metadata\":{\"id\":12,\"type\":\"channel\",\"profile_id\":3,\"original_channel_id\":12}}");
        assertEquals(200, created.status(), created.body());
        String id = created.json().getString("stream_id");
        try (Player one = Player.play(playerUrl(id), 200_000)) {
            Await.until("transcoded bytes", Duration.ofSeconds(20), () -> one.captured() >= 200_000);
            Probe probe = probe(one.capturedBytes());
            assertEquals("h264 320x240", probe.video(), probe.raw());
            assertEquals("aac", probe.audio(), probe.raw());
        }
        // What the editor's reuse lookup reads: metadata.transcoding == "true" and its own profile_id.
        JsonObject meta = api.get("/streams/" + id).json().getJsonObject("stream").getJsonObject("metadata");
        assertEquals("true", meta.getString("transcoding"));
        assertEquals("3", meta.getString("profile_id"));
        assertEquals("custom", meta.getString("profile"));
        assertTrue(meta.getString("ffmpeg_args").startsWith("-fflags +genpts+discardcorrupt+igndts"), meta.toString());
    }

    /** Its stock HLS profile. */
    private static final String EDITOR_HLS = "-fflags +genpts+discardcorrupt+igndts -i {input_url} -c:v libx264 "
            + "-preset faster -b:v {bitrate|2000k} -maxrate {maxrate|2500k} -bufsize {bufsize|2500k} -c:a aac "
            + "-b:a {audio_bitrate|128k} -hls_time 2 -hls_list_size 30 -hls_flags program_date_time -f hls "
            + "{output_args|index.m3u8}";

    /** What one HLS player saw: every media sequence in the order it polled. */
    private final class HlsPlayer {
        final String url;
        final List<Long> sequences = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile String last = "";
        /** The last answer that was not a playlist, for the failure message. */
        volatile String refused = "none";

        HlsPlayer(String id, String clientId) {
            url = "/hls/" + id + "/playlist.m3u8?client_id=" + clientId;
        }

        /** Polls the playlist and fetches its newest segment, as a player does. */
        boolean poll() {
            Api.Reply r = api.send(api.request(url).GET().build());
            if (r.status() != 200) {
                refused = r.status() + " " + r.body();
                return false;
            }
            last = r.body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(last);
            assertTrue(m.find(), last);
            sequences.add(Long.parseLong(m.group(1)));
            List<String> uris = last.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
            Api.Reply seg = api.send(api.request(url.substring(0, url.lastIndexOf('/') + 1) + uris.get(uris.size() - 1)).GET().build());
            assertEquals(200, seg.status(), uris.toString());
            return true;
        }
    }

    @Test
    void theEditorsStockHlsProfilePlaysAsHlsToTwoPlayersFromOneFfmpegAndFailsOverWithTheSequenceGoingOn() throws Exception {
        byte[] all = TestMedia.sourceTs();
        byte[] firstThird = java.util.Arrays.copyOf(all, all.length / 3 / 188 * 188);
        upstream.route("/live/hls-main.ts", TestUpstream.paced(firstThird, TestMedia.bytesPerSecond(1)));
        serveSource("/live/hls-backup.ts");
        Api.Reply created = api.post("/transcode", "{\"url\":\"" + upstream.url("/live/hls-main.ts") + "\",\"profile\":\""
                + EDITOR_HLS + "\",\"profile_variables\":{\"bitrate\":\"300k\"},\"failover_urls\":[\""
                + upstream.url("/live/hls-backup.ts") + "\"],\"metadata\":{\"profile_id\":5}}");
        assertEquals(200, created.status(), created.body());
        JsonObject c = created.json();
        String id = c.getString("stream_id");
        assertEquals("hls", c.getString("format"));
        assertEquals("/hls/" + id + "/playlist.m3u8", c.getString("stream_endpoint"));
        assertEquals("/hls/" + id + "/playlist.m3u8", c.getString("playlist_url"));

        HlsPlayer a = new HlsPlayer(id, "a");
        HlsPlayer b = new HlsPlayer(id, "b");
        // FFmpeg probes its source and cuts a first whole segment before anything is listed: slow on a busy machine.
        try {
            Await.until("both players get playlists and segments", Duration.ofSeconds(60), () -> a.poll() && b.poll()
                    && a.last.contains("#EXTINF") && b.last.contains("#EXTINF"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last refusals: " + a.refused + " / " + b.refused
                    + "; source requests " + upstream.requests("/live/hls-main.ts") + "+"
                    + upstream.requests("/live/hls-backup.ts") + "; transcoders " + transcoders(), e);
        }
        assertEquals(1, upstream.requests("/live/hls-main.ts"), "one FFmpeg for both players");
        assertEquals(1.0, transcoders());
        String firstUri = a.last.lines().filter(l -> l.startsWith("t")).findFirst().orElseThrow();
        java.net.http.HttpResponse<byte[]> seg = java.net.http.HttpClient.newHttpClient().send(
                api.request("/hls/" + id + "/" + firstUri).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("video/mp2t", seg.headers().firstValue("Content-Type").orElse(""));
        Probe probe = probe(seg.body());
        assertEquals("h264 320x240", probe.video(), probe.raw());
        assertEquals("aac", probe.audio(), probe.raw());

        Await.until("the backup's segments after a discontinuity", Duration.ofSeconds(60), () -> a.poll() && b.poll()
                && upstream.requests("/live/hls-backup.ts") == 1 && a.last.contains("#EXT-X-DISCONTINUITY")
                && a.last.substring(a.last.indexOf("#EXT-X-DISCONTINUITY")).contains("#EXTINF"));
        for (HlsPlayer p : List.of(a, b)) {
            for (int i = 1; i < p.sequences.size(); i++) {
                assertTrue(p.sequences.get(i) >= p.sequences.get(i - 1), "the media sequence never goes back: " + p.sequences);
            }
        }
        assertTrue(api.get("/events").body().contains("failover_triggered"));
        assertEquals(200, api.delete("/streams/" + id).status());
        Await.until("no FFmpeg left running", Duration.ofSeconds(10), () -> transcoders() == 0);
    }

    @Test
    void aDeadSourceFailsOverToTheBackupWithANewFfmpeg() {
        upstream.route("/live/dead.ts", TestUpstream.status(404));
        serveSource("/live/backup.ts");
        String id = transcode("/live/dead.ts", ",\"failover_urls\":[\"" + upstream.url("/live/backup.ts") + "\"]");
        try (Player p = Player.play(playerUrl(id), 1024)) {
            Await.until("transcoded bytes from the backup", Duration.ofSeconds(20), () -> p.total() > 100_000);
            assertEquals(200, p.status());
            assertEquals(1, upstream.requests("/live/backup.ts"));
            JsonObject events = api.get("/events").json();
            assertTrue(events.toString().contains("failover_triggered"), events.toString());
        }
    }

    @Test
    void manualFailoverRestartsFfmpegOnTheNextSourceWhilePlayersStay() {
        serveSource("/live/first.ts");
        serveSource("/live/second.ts");
        String id = transcode("/live/first.ts", ",\"failover_urls\":[\"" + upstream.url("/live/second.ts") + "\"]");
        try (Player p = Player.play(playerUrl(id), 1024)) {
            Await.until("transcoded bytes from the first source", Duration.ofSeconds(20), () -> p.total() > 50_000);
            assertEquals(200, api.post("/streams/" + id + "/failover", "").status());
            Await.until("the first source let go", Duration.ofSeconds(10), () -> upstream.openConnections("/live/first.ts") == 0);
            long before = p.total();
            Await.until("transcoded bytes from the second source, same player connection", Duration.ofSeconds(20),
                    () -> p.total() > before + 50_000);
            assertEquals(1, upstream.requests("/live/second.ts"));
            assertNull(p.ended().getNow(null), "the player's response goes on");
            assertTrue(!p.ended().isDone());
        }
    }

    @Test
    void pastTheProcessLimitANewTranscodedStreamIs503AndTheOthersPlayOn() {
        serveSource("/live/a.ts");
        serveSource("/live/b.ts");
        serveSource("/live/c.ts");
        String a = transcode("/live/a.ts", "");
        String b = transcode("/live/b.ts", "");
        String c = transcode("/live/c.ts", "");
        try (Player pa = Player.play(playerUrl(a), 1024); Player pb = Player.play(playerUrl(b), 1024)) {
            Await.until("two transcoded streams playing", Duration.ofSeconds(20), () -> pa.total() > 50_000 && pb.total() > 50_000);
            assertEquals(2.0, transcoders());
            Api.Reply third = api.send(api.request("/stream/" + c).GET().build());
            assertEquals(503, third.status());
            assertTrue(third.detail().contains("TRANSCODE_MAX_PROCESSES"), third.body());
            long before = pa.total();
            Await.until("the others still playing", Duration.ofSeconds(5), () -> pa.total() > before + 20_000);
        }
        assertEquals(0, upstream.requests("/live/c.ts"));
    }

    @Test
    void unsafeOrUnknownProfilesAreRefusedBeforeAnythingRuns() {
        String url = upstream.url("/live/x.ts");
        assertEquals(422, api.post("/transcode", "{\"url\":\"" + url + "\",\"profile\":\"-c copy -y /tmp/owned.ts\"}").status());
        assertEquals(422, api.post("/transcode", "{\"url\":\"" + url + "\",\"profile\":\"-vf movie=/etc/passwd\"}").status());
        assertEquals(422, api.post("/transcode", "{\"url\":\"" + url + "\",\"profile_variables\":{\"preset\":\"fast -y x\"}}").status());
        assertEquals(422, api.post("/transcode", "{\"url\":\"file:///etc/passwd\"}").status());
        assertEquals(422, api.post("/transcode", "{\"url\":\"" + url + "\",\"profile\":\"-f lavfi -i {input_url} -c:v libx264\"}").status());
        assertEquals(422, api.post("/transcode", "{\"url\":\"" + url + "\",\"profile\":\"-i {input_url} -c:v libx264 "
                + "-hls_segment_filename /tmp/s%03d.ts -f hls\"}").status());
        Api.Reply unknown = api.post("/transcode", "{\"url\":\"" + url + "\",\"profile\":\"8k\"}");
        assertEquals(400, unknown.status());
        assertTrue(unknown.detail().contains("Available profiles"), unknown.body());
        assertEquals(0, api.get("/streams").json().getJsonArray("streams").size());
        assertEquals(401, api.send(api.request("/transcode").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"url\":\"" + url + "\"}")).header("Content-Type", "application/json").build()).status());
    }

    /** What ffprobe finds in the bytes a player received. */
    record Probe(String video, String audio, String raw) {
    }

    private static Probe probe(byte[] ts) throws IOException, InterruptedException {
        File f = File.createTempFile("sluice-transcoded", ".ts", new File("target"));
        try {
            Files.write(f.toPath(), ts);
            Process p = new ProcessBuilder(List.of("ffprobe", "-v", "error", "-show_entries",
                    "stream=codec_type,codec_name,width,height", "-of", "compact=p=0:nk=0", f.getPath()))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            String video = null;
            String audio = null;
            for (String line : out.split("\n")) {
                Map<String, String> kv = new java.util.HashMap<>();
                for (String part : line.trim().split("\\|")) {
                    int eq = part.indexOf('=');
                    if (eq > 0) {
                        kv.put(part.substring(0, eq), part.substring(eq + 1));
                    }
                }
                if ("video".equals(kv.get("codec_type"))) {
                    video = kv.get("codec_name") + " " + kv.get("width") + "x" + kv.get("height");
                } else if ("audio".equals(kv.get("codec_type"))) {
                    audio = kv.get("codec_name");
                }
            }
            return new Probe(video, audio, out);
        } finally {
            f.delete();
        }
    }
}
