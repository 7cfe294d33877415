package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.Player;
import io.sluice.testing.SpliceSources;
import io.sluice.testing.TestUpstream;
import io.sluice.ts.EsKind;
import io.sluice.ts.Pmt;
import io.sluice.ts.SectionAssembler;
import io.sluice.ts.TsPacket;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Without FFmpeg (SPEC 12): transcoding answers 503 saying what to install; everything else works, a failover to
 * a backup with another audio codec too (its audio cannot be conformed, so it goes as it is).
 */
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

    @Test
    void aFailoverToABackupWithAnotherAudioCodecGoesOnAsItIs() throws Exception {
        byte[] a = SpliceSources.primary();
        byte[] b = SpliceSources.backup();
        int rateA = SpliceSources.realTimeRate(a);
        int rateB = SpliceSources.realTimeRate(b);
        upstream.route("/splice/a.ts", TestUpstream.pacedThenReset(a, 0, rateA, 4 * rateA / TsPacket.SIZE * TsPacket.SIZE));
        upstream.route("/splice/b.ts", TestUpstream.pacedThenReset(b, 0, rateB, Integer.MAX_VALUE));
        String id = api.register(upstream.url("/splice/a.ts"),
                "\"failover_urls\":[\"" + upstream.url("/splice/b.ts") + "\"]");
        try (Player p = Player.play(playerUrl(id), 4 * 1024 * 1024)) {
            Await.until("4 s of the primary and 4 s of the backup", Duration.ofSeconds(40),
                    () -> p.captured() >= 4 * rateA + 4 * rateB);
            byte[] c = p.capturedBytes();
            Pmt last = lastPmt(c, 0x1000);
            assertEquals(0x101, last.firstPid(EsKind.AUDIO), "audio stays on the player's PID");
            int type = last.streams().get(1).streamType();
            assertTrue(type == 0x03 || type == 0x04, "the backup's MP2 announced as it is: 0x" + Integer.toHexString(type));
            assertTrue(last.version() > 0, "in a new PMT version");
            int audioAfter = 0;
            for (int off = c.length / 2 / TsPacket.SIZE * TsPacket.SIZE; off + TsPacket.SIZE <= c.length; off += TsPacket.SIZE) {
                audioAfter += TsPacket.pid(c, off) == 0x101 ? 1 : 0;
            }
            assertTrue(audioAfter > 100, "the backup's audio reaches the player: " + audioAfter + " packets");
        }
    }

    private static Pmt lastPmt(byte[] ts, int pid) {
        SectionAssembler section = new SectionAssembler();
        Pmt last = null;
        for (int off = 0; off + TsPacket.SIZE <= ts.length; off += TsPacket.SIZE) {
            if (TsPacket.pid(ts, off) == pid && section.offer(ts, off)) {
                Pmt pmt = Pmt.parse(section.section(), section.sectionLength());
                last = pmt == null ? last : pmt;
            }
        }
        if (last == null) {
            throw new AssertionError("no PMT on PID " + pid);
        }
        return last;
    }
}
