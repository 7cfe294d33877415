package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.TestMedia;
import io.sluice.testing.TestUpstream;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Network broadcasts (SPEC 12.1) with Debian's ffmpeg on real H.264/AAC media: a VOD file played as a live HLS
 * channel from a seek point for a duration, the callback when it ends, programmes replacing each other with
 * continuous numbering, and the routes M3U Editor calls.
 */
class BroadcastIT extends SluiceIT {
    private final List<JsonObject> callbacks = new CopyOnWriteArrayList<>();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("BROADCAST_MAX_CONCURRENT", "2"));
    }

    @BeforeEach
    void media() {
        upstream.route("/vod/film.ts", TestUpstream.rangedFile(TestMedia.sourceTs(), "video/mp2t"));
        upstream.route("/editor/callback", ex -> {
            callbacks.add(Json.createReader(new StringReader(new String(ex.readBody(), StandardCharsets.UTF_8))).readObject());
            ex.respond(200, "application/json", "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
        });
    }

    private String start(String network, String extra) {
        Api.Reply r = api.post("/broadcast/" + network + "/start", "{\"stream_url\":\"" + upstream.url("/vod/film.ts")
                + "\",\"callback_url\":\"" + upstream.url("/editor/callback") + "\",\"segment_duration\":2,"
                + "\"hls_list_size\":30" + extra + "}");
        assertEquals(200, r.status(), r.body());
        return r.body();
    }

    private Api.Reply playlist(String network) {
        // A player: no token.
        return api.send(api.request("/broadcast/" + network + "/live.m3u8").GET().build());
    }

    private static List<Long> numbers(String playlist) {
        Matcher m = Pattern.compile("(?m)^live(\\d+)\\.ts$").matcher(playlist);
        List<Long> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void aProgrammePlaysFromItsSeekForItsDurationThenTheNextContinuesTheNumbering() throws Exception {
        JsonObject started = Json.createReader(new StringReader(start("net-a", ",\"seek_seconds\":10,\"duration_seconds\":20"))).readObject();
        assertEquals("net-a", started.getString("network_id"));
        assertEquals("running", started.getString("status"));
        long pid = started.getJsonNumber("ffmpeg_pid").longValue();
        assertTrue(alive(pid));
        assertEquals(1, ffmpegChildren(upstream.url("/vod/film.ts")).size(), "one FFmpeg for the network, seen here");

        Await.until("the programme's end reported to the callback", Duration.ofSeconds(60), () -> !callbacks.isEmpty());
        JsonObject cb = callbacks.get(0);
        assertEquals("net-a", cb.getString("network_id"));
        assertEquals("programme_ended", cb.getString("event"), cb.toString());
        assertEquals(0, cb.getJsonObject("data").getInt("exit_code"));
        long last = cb.getJsonObject("data").getJsonNumber("final_segment_number").longValue();
        assertTrue(cb.getJsonObject("data").getJsonNumber("duration_streamed").doubleValue() >= 19, cb.toString());
        assertFalse(alive(pid), "FFmpeg has ended");

        String first = playlist("net-a").body();
        List<Long> shown = numbers(first);
        assertEquals(0L, shown.get(0));
        assertEquals(last, shown.get(shown.size() - 1));
        double seconds = Pattern.compile("#EXTINF:([0-9.]+),").matcher(first).results()
                .mapToDouble(r -> Double.parseDouble(r.group(1))).sum();
        assertEquals(20, seconds, 1.5, "20 s of the film from 10 s on: " + first);
        Decoded d = decode("net-a");
        assertEquals(0, d.exit(), d.errors());
        assertEquals("", d.errors(), "ffmpeg decodes the whole broadcast through Sluice without an error");
        assertTrue(d.seconds() >= 18, "decoded " + d.seconds() + " s");

        // The editor's next programme: no start number given, so numbering continues with a discontinuity.
        JsonObject next = Json.createReader(new StringReader(start("net-a", ",\"seek_seconds\":0,\"duration_seconds\":4"))).readObject();
        assertEquals(last + 1, next.getJsonNumber("current_segment_number").longValue());
        Await.until("the next programme's first segment", Duration.ofSeconds(20),
                () -> numbers(playlist("net-a").body()).contains(last + 1));
        String after = playlist("net-a").body();
        assertTrue(after.contains("#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:"), after);
        assertTrue(after.indexOf("#EXT-X-DISCONTINUITY\n") < after.indexOf(String.format("live%06d.ts", last + 1)), after);
        List<Long> now = numbers(after);
        for (int i = 1; i < now.size(); i++) {
            assertEquals(now.get(i - 1) + 1, now.get(i), after);
        }

        Api.Reply stopped = api.post("/broadcast/net-a/stop", "");
        assertEquals(200, stopped.status(), stopped.body());
        long fin = stopped.json().getJsonNumber("final_segment_number").longValue();
        assertTrue(fin >= last + 1, stopped.body());
        assertEquals(404, api.get("/broadcast/net-a/status").status(), "not running after a stop");
        assertEquals(200, playlist("net-a").status(), "the window stays for players until the network is deleted");
        assertEquals(200, api.delete("/broadcast/net-a").status());
        assertEquals(404, playlist("net-a").status());
        assertEquals(404, api.get("/broadcast/net-a/status").status());
        assertTrue(ffmpegChildren(upstream.url("/vod/film.ts")).isEmpty(), "no FFmpeg left");
    }

    @Test
    void aRunningProgrammeIsReplacedSeamlesslyAndStopAnswersTheFinalNumber() {
        start("net-b", ",\"duration_seconds\":30,\"segment_start_number\":100");
        Await.until("two segments", Duration.ofSeconds(20), () -> numbers(playlist("net-b").body()).size() >= 2);
        long oldPid = api.get("/broadcast/net-b/status").json().getJsonNumber("ffmpeg_pid").longValue();
        JsonObject replaced = Json.createReader(new StringReader(start("net-b", ",\"seek_seconds\":5,\"duration_seconds\":30")))
                .readObject();
        long first = replaced.getJsonNumber("current_segment_number").longValue();
        assertTrue(first > 100, replaced.toString());
        assertFalse(alive(oldPid), "one FFmpeg per network");
        assertTrue(callbacks.isEmpty(), "a replacement the caller asked for is not reported as an end");
        Await.until("the new programme's first segment", Duration.ofSeconds(20),
                () -> numbers(playlist("net-b").body()).contains(first));
        String p = playlist("net-b").body();
        assertTrue(p.indexOf("#EXT-X-DISCONTINUITY") < p.indexOf(String.format("live%06d.ts", first)), p);
        assertEquals(100L, numbers(p).get(0), "earlier segments stay in the window: " + p);
        assertEquals(200, api.send(api.request("/broadcast/net-b/segment/" + String.format("live%06d.ts", first)).GET().build()).status());
        assertEquals(1, api.get("/broadcast").json().getJsonArray("broadcasts").size());
        Api.Reply stop = api.post("/broadcast/net-b/stop", "");
        assertTrue(stop.json().getJsonNumber("final_segment_number").longValue() >= first);
        assertEquals(200, api.delete("/broadcast/net-b").status());
    }

    @Test
    void limitsAndRefusals() {
        start("net-c", ",\"duration_seconds\":30");
        start("net-d", ",\"duration_seconds\":30");
        Api.Reply third = api.post("/broadcast/net-e/start", "{\"stream_url\":\"" + upstream.url("/vod/film.ts") + "\"}");
        assertEquals(503, third.status(), third.body());
        assertTrue(third.detail().contains("BROADCAST_MAX_CONCURRENT"), third.body());
        assertEquals(200, api.delete("/broadcast/net-c").status());
        assertEquals(200, api.delete("/broadcast/net-d").status());

        String url = upstream.url("/vod/film.ts");
        for (String body : List.of(
                "{\"stream_url\":\"file:///etc/passwd\"}",
                "{\"stream_url\":\"" + url + "\",\"transcode\":true,\"video_codec\":\"h264_v4l2m2m\"}",
                "{\"stream_url\":\"" + url + "\",\"transcode\":true,\"video_resolution\":\"1x1,movie=/etc/passwd\"}",
                "{\"stream_url\":\"" + url + "\",\"dvr_mode\":true}")) {
            Api.Reply r = api.post("/broadcast/net-f/start", body);
            assertEquals(422, r.status(), body + " → " + r.body());
        }
        assertTrue(api.post("/broadcast/net-f/start", "{\"stream_url\":\"" + url + "\",\"dvr_mode\":true}").detail()
                .contains("dvr_mode"));
        assertEquals(404, api.post("/broadcast/net-f/stop", "").status());
        assertEquals(404, api.get("/broadcast/net-f/status").status());
        // Management routes need the token; the player routes do not.
        assertEquals(401, api.send(api.request("/broadcast").GET().build()).status());
        assertEquals(401, api.send(api.request("/broadcast/net-f/start").POST(HttpRequest.BodyPublishers.ofString(
                "{\"stream_url\":\"" + url + "\"}")).header("Content-Type", "application/json").build()).status());
        assertEquals(401, api.send(api.request("/broadcast/net-f/status").GET().build()).status());
        assertEquals(404, playlist("net-f").status());
        assertEquals(404, api.send(api.request("/broadcast/net-f/segment/live000000.ts").GET().build()).status());
        int traversal = api.send(api.request("/broadcast/net-f/segment/..%2F..%2Fetc%2Fpasswd").GET().build()).status();
        assertTrue(traversal == 400 || traversal == 404, "a path out of the window is refused: " + traversal);
        assertEquals(404, api.send(api.request("/broadcast/net-f/segment/index.m3u8").GET().build()).status());
        assertEquals(0, api.get("/broadcast").json().getInt("count"));
    }

    @Test
    void aSourceThatFailsIsReportedAsBroadcastFailed() {
        upstream.route("/vod/gone.ts", TestUpstream.status(404));
        Api.Reply r = api.post("/broadcast/net-g/start", "{\"stream_url\":\"" + upstream.url("/vod/gone.ts")
                + "\",\"callback_url\":\"" + upstream.url("/editor/callback") + "\"}");
        assertEquals(200, r.status(), r.body());
        Await.until("the failure reported", Duration.ofSeconds(20), () -> !callbacks.isEmpty());
        JsonObject cb = callbacks.get(0);
        assertEquals("broadcast_failed", cb.getString("event"), cb.toString());
        assertTrue(cb.getJsonObject("data").getInt("exit_code") != 0);
        assertTrue(cb.getJsonObject("data").getString("error").contains("404"), cb.toString());
        assertEquals("failed", api.get("/broadcast/net-g/status").json().getString("status"));
        String metrics = api.get("/metrics").body();
        assertTrue(metrics.contains("sluice_broadcasts_events_total{type=\"broadcast_failed\"}"), metrics);
        api.delete("/broadcast/net-g");
    }

    /**
     * M3U Editor's calls for one network, in the order its NetworkBroadcastService and NetworkHlsController make
     * them, with the body it sends (its extra fields included) and the fields it reads.
     */
    @Test
    void anEditorSessionOfANetwork() {
        String uuid = "9b2f6c1e-4a7d-4e0b-9d3c-2f5a8e7b1c44";
        assertEquals(200, api.get("/health").status());
        String body = "{\"stream_url\":\"" + upstream.url("/vod/film.ts") + "\",\"seek_seconds\":3,\"duration_seconds\":30,"
                + "\"segment_start_number\":0,\"add_discontinuity\":false,\"segment_duration\":2,\"hls_list_size\":20,"
                + "\"transcode\":true,\"video_bitrate\":\"300\",\"audio_bitrate\":96,\"video_resolution\":null,"
                + "\"video_codec\":\"libx264\",\"audio_codec\":\"aac\",\"preset\":\"ultrafast\",\"hwaccel\":\"vaapi\","
                + "\"preferred_audio_language\":null,\"subtitles_enabled\":false,\"subtitle_url\":null,"
                + "\"subtitle_language\":null,\"subtitle_seek_seconds\":3,\"callback_url\":\"" + upstream.url("/editor/callback")
                + "\",\"next_stream_config\":null,\"output_dir\":\"/dev/shm\"}";
        Api.Reply started = api.post("/broadcast/" + uuid + "/start", body);
        assertEquals(200, started.status(), started.body());
        assertTrue(started.json().getJsonNumber("ffmpeg_pid").longValue() > 0, "broadcast_pid ← ffmpeg_pid");
        assertTrue(List.of("running", "starting").contains(started.json().getString("status")));

        // isBroadcasting(): status in [running, starting]; 404 = not running.
        assertTrue(List.of("running", "starting").contains(api.get("/broadcast/" + uuid + "/status").json().getString("status")));
        assertTrue(api.get("/broadcast").json().getJsonArray("broadcasts").stream()
                .anyMatch(b -> b.asJsonObject().getString("network_id").equals(uuid)));

        // NetworkHlsController: fetches live.m3u8 with its token and rewrites "^(live\d+\.ts)$" lines to its own
        // segment route, which redirects players to /broadcast/{uuid}/segment/{file}.
        Await.until("a playlist with segments", Duration.ofSeconds(20),
                () -> playlist(uuid).status() == 200 && !numbers(playlist(uuid).body()).isEmpty());
        Api.Reply fetched = api.get("/broadcast/" + uuid + "/live.m3u8");
        assertEquals(200, fetched.status());
        assertTrue(fetched.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.apple.mpegurl"));
        Matcher m = Pattern.compile("(?m)^(live\\d+\\.ts)$").matcher(fetched.body());
        assertTrue(m.find(), fetched.body());
        Api.Reply segment = api.send(api.request("/broadcast/" + uuid + "/segment/" + m.group(1)).GET().build());
        assertEquals(200, segment.status());
        assertEquals("video/mp2t", segment.headers().firstValue("Content-Type").orElse(""));

        // stopBroadcast(): reads final_segment_number; the next programme starts after it with a discontinuity.
        Api.Reply stopped = api.post("/broadcast/" + uuid + "/stop", "");
        assertEquals(200, stopped.status());
        long fin = stopped.json().getJsonNumber("final_segment_number").longValue();
        Api.Reply again = api.post("/broadcast/" + uuid + "/start", body.replace("\"segment_start_number\":0",
                "\"segment_start_number\":" + (fin + 1)).replace("\"add_discontinuity\":false", "\"add_discontinuity\":true"));
        assertEquals(200, again.status(), again.body());
        assertEquals(fin + 1, again.json().getJsonNumber("current_segment_number").longValue());

        // The network is disabled: stop, then delete; status is then 404.
        assertEquals(200, api.post("/broadcast/" + uuid + "/stop", "").status());
        assertEquals(200, api.delete("/broadcast/" + uuid).status());
        assertEquals(404, api.get("/broadcast/" + uuid + "/status").status());
        assertTrue(callbacks.isEmpty(), "stops the editor asked for are not reported back to it: " + callbacks);
    }

    /** FFmpeg processes started by this JVM (embedded Tomcat runs here) on {@code source}, still alive. */
    static List<String> ffmpegChildren(String source) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(h -> h.info().commandLine().orElse(""))
                .filter(c -> c.contains("ffmpeg") && c.contains(source)).toList();
    }

    record Decoded(int exit, String errors, double seconds) {
    }

    /** Decodes the broadcast's playlist with ffmpeg as a player would, from its first segment. */
    private Decoded decode(String network) throws Exception {
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-live_start_index", "0", "-m3u8_hold_counters", "2",
                "-i", api.base() + "/broadcast/" + network + "/live.m3u8", "-f", "null", "-")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ffmpeg did not finish decoding");
        }
        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-live_start_index", "0", "-m3u8_hold_counters", "2",
                "-show_entries", "stream=codec_name", "-of", "csv=p=0", "-i", api.base() + "/broadcast/" + network + "/live.m3u8")
                .redirectErrorStream(true).start();
        String codecs = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        probe.waitFor(60, TimeUnit.SECONDS);
        assertTrue(codecs.contains("h264") && codecs.contains("aac"), codecs);
        double seconds = 0;
        String playlist = playlist(network).body();
        for (Matcher m = Pattern.compile("#EXTINF:([0-9.]+),").matcher(playlist); m.find(); ) {
            seconds += Double.parseDouble(m.group(1));
        }
        return new Decoded(p.exitValue(), out.trim(), seconds);
    }
}
