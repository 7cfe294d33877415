package io.sluice.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.config.Settings;
import io.sluice.streams.StreamKind;
import io.sluice.streams.StreamSpec;
import io.sluice.web.ApiException;
import jakarta.json.Json;
import java.io.StringReader;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented body ({@link TranscodeRegistration}, in /openapi.json) and the parser agree on every field. */
class TranscodeRegistrationTest {
    private final TranscodeRequestParser parser = new TranscodeRequestParser(Settings.from(n -> null));

    private StreamSpec parse(String body) {
        return parser.parse(Json.createReader(new StringReader(body)).readValue());
    }

    @Test
    void theParserChecksEveryDocumentedField() {
        for (RecordComponent c : TranscodeRegistration.class.getRecordComponents()) {
            String field = c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
            String wrong = c.getType() == String.class ? "[1]" : "\"not-" + c.getType().getSimpleName() + "\"";
            String body = field.equals("url") ? "{\"url\":" + wrong + "}"
                    : "{\"url\":\"http://p.tv/a.ts\",\"" + field + "\":" + wrong + "}";
            ApiException e = assertThrows(ApiException.class, () -> parse(body), field);
            assertEquals(422, e.status(), field);
            assertTrue(e.getMessage().startsWith(field), field + ": " + e.getMessage());
        }
    }

    @Test
    void aNamedProfileMakesATranscodedSharedStream() {
        StreamSpec s = parse("{\"url\":\"http://p.tv/live/1.ts\",\"profile\":\"720p\",\"shared_upstream\":false,"
                + "\"profile_variables\":{\"preset\":\"ultrafast\",\"video_bitrate\":800}}");
        assertEquals(StreamKind.TRANSCODED, s.kind());
        assertTrue(s.sharedUpstream(), "one transcoder per stream, whatever was asked");
        assertEquals("720p", s.transcode().profile());
        assertEquals(List.of("-vf", "scale=-2:720", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "800", "-c:a", "aac",
                "-b:a", "128k"), s.transcode().arguments());
    }

    @Test
    void rawArgumentsAreACustomProfileAndNoProfileIsTheDefault() {
        assertEquals("custom", parse("{\"url\":\"http://p.tv/a.ts\",\"profile\":\"-c:v libx264 -an\"}").transcode().profile());
        assertEquals("default", parse("{\"url\":\"http://p.tv/a.ts\"}").transcode().profile());
    }

    @Test
    void anUnknownProfileIs400NamingTheKnownOnes() {
        ApiException e = assertThrows(ApiException.class, () -> parse("{\"url\":\"http://p.tv/a.ts\",\"profile\":\"8k\"}"));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("default, hq, lowlatency, 720p, 1080p, hevc, audio"), e.getMessage());
    }

    @Test
    void unsafeArgumentsAndOtherFormatsAre422() {
        assertEquals(422, assertThrows(ApiException.class,
                () -> parse("{\"url\":\"http://p.tv/a.ts\",\"profile\":\"-c copy -y /tmp/x.ts\"}")).status());
        assertEquals(422, assertThrows(ApiException.class,
                () -> parse("{\"url\":\"http://p.tv/a.ts\",\"output_format\":\"mp4\"}")).status());
        assertEquals(422, assertThrows(ApiException.class,
                () -> parse("{\"url\":\"file:///etc/passwd\",\"profile\":\"hq\"}")).status());
    }

    @Test
    void aTranscodedStreamIsMarkedAsM3uProxyMarksItAndTheCallersKeysWin() {
        StreamSpec s = parse("{\"url\":\"http://p.tv/a.ts\",\"profile\":\"" + FfmpegArgumentsTest.EDITOR_DEFAULT + "\","
                + "\"profile_variables\":{\"bitrate\":\"1500k\"},\"metadata\":{\"profile_id\":7,\"id\":\"42\",\"profile\":\"mine\"}}");
        assertEquals("true", s.metadata().get("transcoding"));
        assertEquals("7", s.metadata().get("profile_id"));
        assertEquals("42", s.metadata().get("id"));
        assertEquals("mine", s.metadata().get("profile"), "the caller's keys win, as in m3u-proxy");
        assertEquals("{\"bitrate\":\"1500k\"}", s.metadata().get("profile_variables"));
        assertTrue(s.metadata().get("ffmpeg_args").startsWith("-fflags +genpts+discardcorrupt+igndts -c:v libx264"),
                s.metadata().get("ffmpeg_args"));
        assertEquals(List.of("-fflags", "+genpts+discardcorrupt+igndts"), s.transcode().inputArguments());
        assertEquals("custom", parse("{\"url\":\"http://p.tv/a.ts\",\"profile\":\"-c:v libx264 -an\"}").metadata().get("profile"));
    }

    @Test
    void theEditorsStockHlsProfileIsAcceptedAsHlsOutput() {
        StreamSpec s = parse("{\"url\":\"http://p.tv/a.ts\",\"profile\":\"" + FfmpegArgumentsTest.EDITOR_HLS + "\"}");
        assertEquals(new io.sluice.streams.TranscodeSpec.HlsOutput(2, 30), s.transcode().hls());
    }
}
