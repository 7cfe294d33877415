package io.sluice.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.config.Settings;
import io.sluice.web.ApiException;
import jakarta.json.Json;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A start body becomes m3u-proxy's FFmpeg run, through the same allowlist as a transcoding profile. */
class BroadcastRequestTest {
    private final BroadcastRequestParser parser = new BroadcastRequestParser(Settings.from(n -> null));

    private BroadcastRequest parse(String body) {
        return parser.parse(Json.createReader(new StringReader(body)).readValue());
    }

    private List<String> command(String body, boolean devices) {
        return BroadcastCommand.of("ffmpeg", parse(body), 30_000_000, null, d -> devices);
    }

    /** What M3U Editor's NetworkBroadcastService sends, its extra fields included. */
    static final String EDITOR = "{\"stream_url\":\"http://media.example/Videos/1/stream.ts?api_key=k\",\"seek_seconds\":600,"
            + "\"duration_seconds\":1500,\"segment_start_number\":0,\"add_discontinuity\":false,\"segment_duration\":6,"
            + "\"hls_list_size\":20,\"transcode\":false,\"video_bitrate\":null,\"audio_bitrate\":192,\"video_resolution\":null,"
            + "\"video_codec\":null,\"audio_codec\":null,\"preset\":null,\"hwaccel\":null,\"preferred_audio_language\":\"eng\","
            + "\"subtitles_enabled\":false,\"subtitle_url\":null,\"subtitle_language\":null,\"subtitle_seek_seconds\":600,"
            + "\"callback_url\":\"http://editor.example/api/m3u-proxy/broadcast/callback\",\"next_stream_config\":{\"a\":1},"
            + "\"output_dir\":\"/dev/shm\",\"headers\":{\"X-Emby-Token\":\"t\"}}";

    @Test
    void theParserChecksEveryDocumentedField() {
        for (java.lang.reflect.RecordComponent c : BroadcastRequest.class.getRecordComponents()) {
            String field = c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
            String wrong = c.getType() == String.class ? "[1]" : "\"not-" + c.getType().getSimpleName() + "\"";
            String body = field.equals("stream_url") ? "{\"stream_url\":" + wrong + "}"
                    : "{\"stream_url\":\"http://m.example/a\",\"" + field + "\":" + wrong + "}";
            ApiException e = assertThrows(ApiException.class, () -> parse(body), field);
            assertEquals(422, e.status(), field);
            assertTrue(e.getMessage().startsWith(field), field + ": " + e.getMessage());
        }
    }

    @Test
    void theEditorsBodyIsACopyRunFromTheSeekForTheDuration() {
        BroadcastRequest r = parse(EDITOR);
        assertEquals(600, r.seekSeconds());
        assertEquals(6, r.segmentDuration());
        List<String> cmd = command(EDITOR, false);
        String line = String.join(" ", cmd);
        assertTrue(line.contains("-ss 600 -re"), line);
        assertTrue(line.contains("-headers X-Emby-Token: t\r\n -i http://media.example/Videos/1/stream.ts?api_key=k -t 1500 "
                + "-map 0:v:0? -map 0:a:0? -c:v copy -c:a copy -f mpegts pipe:1"), line);
        assertTrue(line.contains("-protocol_whitelist http,https,tcp,tls,crypto"), line);
        assertFalse(line.contains("/dev/shm"), "a caller never chooses where anything is written");
    }

    @Test
    void transcodingUsesTheGivenCodecBitrateResolutionAndPreset() {
        String line = String.join(" ", command("{\"stream_url\":\"http://m.example/a.mkv\",\"transcode\":true,"
                + "\"video_bitrate\":\"2500\",\"audio_bitrate\":128,\"video_resolution\":\"1280x720\",\"video_codec\":\"libx264\","
                + "\"preset\":\"ultrafast\",\"segment_duration\":4}", false));
        assertTrue(line.contains("-c:v libx264 -preset ultrafast -b:v 2500k -vf scale=1280:720 "
                + "-force_key_frames expr:gte(t,n_forced*4) -c:a aac -b:a 128k -ar 48000 -ac 2"), line);
    }

    @Test
    void hwaccelIsPassedOnlyWhenItsDeviceIsHere() {
        String body = "{\"stream_url\":\"http://m.example/a.mkv\",\"transcode\":true,\"hwaccel\":\"vaapi\"}";
        assertTrue(command(body, true).containsAll(List.of("-hwaccel", "vaapi")));
        assertFalse(command(body, false).contains("-hwaccel"));
        assertFalse(command("{\"stream_url\":\"http://m.example/a.mkv\",\"hwaccel\":\"vaapi\"}", true).contains("-hwaccel"),
                "copying decodes nothing");
        assertThrows(IllegalArgumentException.class,
                () -> command("{\"stream_url\":\"http://m.example/a\",\"transcode\":true,\"hwaccel\":\"drm\"}", true));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"stream_url\":\"file:///etc/passwd\"}",
            "{\"stream_url\":\"http://m.example/a\",\"callback_url\":\"gopher://x\"}",
            "{\"stream_url\":\"http://m.example/a\",\"seek_seconds\":-1}",
            "{\"stream_url\":\"http://m.example/a\",\"segment_duration\":0}",
            "{\"stream_url\":\"http://m.example/a\",\"hls_list_size\":100000}",
            "{\"stream_url\":\"http://m.example/a\",\"video_bitrate\":\"2M -y /tmp/x\"}",
            "{\"stream_url\":\"http://m.example/a\",\"video_resolution\":\"1280x720,movie=/etc/passwd\"}",
            "{\"stream_url\":\"http://m.example/a\",\"preset\":\"fast -y\"}",
            "{\"stream_url\":\"http://m.example/a\",\"headers\":{\"X\":\"a\\r\\nB: c\"}}",
            "{\"stream_url\":\"http://m.example/a\",\"metadata\":{\"x\":{\"nested\":1}}}",
            "{\"stream_url\":\"http://m.example/a\",\"transcode\":\"yes\"}",
            "{\"seek_seconds\":1}",
            "[1]"
    })
    void badFieldsAre422(String body) {
        ApiException e = assertThrows(ApiException.class, () -> parse(body));
        assertEquals(422, e.status(), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h264_v4l2m2m", "libxvid"})
    void encodersOutsideTheTranscodingAllowlistAreRefused(String codec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> command(
                "{\"stream_url\":\"http://m.example/a\",\"transcode\":true,\"video_codec\":\"" + codec + "\"}", false));
        assertTrue(e.getMessage().contains("not allowed"), e.getMessage());
    }

    @Test
    void theCallbackIsM3uProxysPayload() {
        String ok = Broadcasts.callbackPayload("net-1", true, new io.sluice.hlsout.FfmpegRun.Exit(0, "", 41, 20.5),
                Instant.parse("2026-12-06T02:00:00Z"), null);
        assertEquals("{\"network_id\":\"net-1\",\"event\":\"programme_ended\",\"timestamp\":\"2026-12-06T02:00:00Z\","
                + "\"dvr_mode\":false,\"hls_dir\":null,\"data\":{\"exit_code\":0,\"final_segment_number\":41,"
                + "\"duration_streamed\":20.5}}", ok);
        String failed = Broadcasts.callbackPayload("net-1", false, new io.sluice.hlsout.FfmpegRun.Exit(8, "Server returned 404 Not Found", 3, 1),
                Instant.parse("2026-12-06T02:00:00Z"), null);
        String dvr = Broadcasts.callbackPayload("net-1", true, new io.sluice.hlsout.FfmpegRun.Exit(0, "", 3, 1),
                Instant.parse("2026-12-06T02:00:00Z"), "/var/dvr/broadcast_net-1");
        assertTrue(dvr.contains("\"dvr_mode\":true,\"hls_dir\":\"/var/dvr/broadcast_net-1\""), dvr);
        assertTrue(failed.contains("\"event\":\"broadcast_failed\""), failed);
        assertTrue(failed.contains("\"error\":\"FFmpeg exited with code 8: Server returned 404 Not Found\""), failed);
        assertNull(parse("{\"stream_url\":\"http://m.example/a\"}").callbackUrl());
    }
}
