package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Without FFmpeg (SPEC 12): transcoding answers 503 saying what to install; everything else works. */
class TranscodeWithoutFfmpegIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("FFMPEG_PATH", "/nonexistent/ffmpeg"));
    }

    @Test
    void transcodingIs503WithAClearMessageAndNothingIsRegistered() {
        Api.Reply r = api.post("/transcode", "{\"url\":\"" + upstream.url("/live/a.ts") + "\",\"profile\":\"hq\"}");
        assertEquals(503, r.status(), r.body());
        assertTrue(r.detail().contains("FFmpeg") && r.detail().contains("install"), r.body());
        assertEquals(0, api.get("/streams").json().getJsonArray("streams").size());
        assertFalse(api.get("/transcode/profiles").json().getJsonObject("ffmpeg").getBoolean("available"));
        assertEquals(200, api.post("/streams", "{\"url\":\"" + upstream.url("/live/a.ts") + "\"}").status(),
                "plain streams are not affected");
    }

    @Test
    void aBroadcastIs503NamingThePackageAndNothingRuns() {
        Api.Reply r = api.post("/broadcast/net/start", "{\"stream_url\":\"" + upstream.url("/vod/a.ts") + "\"}");
        assertEquals(503, r.status(), r.body());
        assertTrue(r.detail().contains("apt-get install ffmpeg"), r.body());
        assertEquals(0, api.get("/broadcast").json().getInt("count"));
        assertEquals(404, api.get("/broadcast/net/status").status());
    }
}
