package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Await;
import io.sluice.testing.ConformProcesses;
import io.sluice.testing.Decoders;
import io.sluice.testing.Mpv;
import io.sluice.testing.Player;
import io.sluice.testing.PrometheusText;
import io.sluice.testing.SpliceSources;
import io.sluice.testing.TestUpstream;
import io.sluice.testing.Vlc;
import io.sluice.testing.Wav;
import io.sluice.ts.Pes;
import io.sluice.ts.TsPacket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 through the deployed WAR: two real live sources that differ as a provider's primary and backup do
 * (PIDs 0x100/0x101 + PMT 0x1000, H.264 Main 25 fps + AAC; PIDs 0x300/0x301 + PMT 0x1200, H.264 High 50 fps +
 * MP2), and players that must keep their video and audio across the change of source.
 */
class SpliceIT extends SluiceIT {
    private static final int CAPTURE = 8 * 1024 * 1024;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("RELAY_BUFFER_BYTES", "2097152"));
    }

    private static int rate(byte[] ts) {
        return SpliceSources.realTimeRate(ts);
    }

    private static int bytesOf(byte[] ts, double seconds) {
        return (int) (seconds * rate(ts)) / TsPacket.SIZE * TsPacket.SIZE;
    }

    /** The primary dies after {@code seconds}; the backup is live already, so it is joined mid-GOP. */
    private String primaryDyingInto(byte[] backup, double seconds) {
        byte[] a = SpliceSources.primary();
        upstream.route("/a/live.ts", TestUpstream.pacedThenReset(a, 0, rate(a), bytesOf(a, seconds)));
        upstream.route("/b/live.ts", TestUpstream.pacedThenReset(backup, bytesOf(backup, 2.5), rate(backup),
                Integer.MAX_VALUE));
        return api.register(upstream.url("/a/live.ts"), "\"failover_urls\":[\"" + upstream.url("/b/live.ts") + "\"]");
    }

    private Path save(String name, byte[] capture) throws Exception {
        Path p = Path.of("target/test-media/it-" + name + ".ts");
        Files.createDirectories(p.getParent());
        Files.write(p, capture);
        return p;
    }

    private static byte[] capture(Player p) {
        byte[] c = p.capturedBytes();
        return Arrays.copyOf(c, c.length - c.length % TsPacket.SIZE);
    }

    /** What a player following its first streams must see after a change to the different backup. */
    private void assertPlayersStreamsContinue(byte[] capture, Path file) throws Exception {
        for (int off = 0; off < capture.length; off += TsPacket.SIZE) {
            int pid = TsPacket.pid(capture, off);
            assertFalse(pid == 0x300 || pid == 0x301 || pid == 0x1200, "a packet on the backup's own PID " + pid);
        }
        Decoders.Probe probe = Decoders.probe(file.toString(), 60);
        assertEquals(2, probe.streams(), "no new streams: " + probe);
        assertTrue(probe.packetsAfterSplice(0) >= 3 * 50, "video continues on stream 0: " + probe);
        assertTrue(probe.packetsAfterSplice(1) >= 3 * 40, "audio continues on stream 1: " + probe);
        Decoders.Decode d = Decoders.decode(file.toString(), 60);
        System.out.println("splice " + file.getFileName() + ": " + probe + "; failed packets video "
                + d.failedPackets(0) + ", audio " + d.failedPackets(1) + "; error lines " + d.errorLines());
        assertEquals(0, d.exitCode(), d.errors());
        assertTrue(d.seconds() >= 9, "decoded " + d.seconds() + " s");
        // The old source's picture cut by its failure never reaches the player: the video decoder has nothing to
        // complain about, not even at the splice.
        assertEquals(0, d.decoderErrors("h264"), d.errors());
        assertEquals(0, d.failedPackets(0), d.errors());
        // Debian's ffmpeg 5.1 keeps the AAC decoder it opened for stream 1 whatever a new PMT says: the backup's
        // MP2 reaches it re-encoded to AAC (the audio conform), so its audio decodes too, with errors at most at
        // the splice itself (a cut frame).
        assertEquals("aac", probe.codecs().get(1), "players' audio stays AAC: " + probe);
        assertTrue(d.failedPackets(1) <= 2, "audio fails at the splice at most: " + probe + " " + d.errors());
        assertTrue(d.decoderErrors("aac") <= 4, "the AAC decoder complains at the splice at most: " + d.errors());
        assertTrue(d.timestampComplaints() <= 2, "ffmpeg re-times the splice's jump: " + d.errors());
        assertEquals(List.of(), d.otherErrors("aac"), d.errors());
    }

    @Test
    void anAutomaticFailoverKeepsPlayersOnTheirVideoAndAudio() throws Exception {
        byte[] b = SpliceSources.backup();
        String id = primaryDyingInto(b, 6);
        try (Player p = Player.play(playerUrl(id), CAPTURE)) {
            Await.until("6 s of the primary and 6 s of the backup", Duration.ofSeconds(40),
                    () -> p.captured() >= bytesOf(SpliceSources.primary(), 6) + bytesOf(b, 6));
            assertFalse(p.ended().isDone(), "the player's connection stayed open");
            assertEquals(1, audioConforms(), "one FFmpeg conforms the backup's audio for the stream");
            assertEquals(1.0, conformsGauge(), "and operators see it");
            byte[] c = capture(p);
            assertPlayersStreamsContinue(c, save("auto-failover", c));
            assertEquals(200, api.delete("/streams/" + id).status());
            Await.until("no FFmpeg left once the stream is gone", Duration.ofSeconds(10), () -> audioConforms() == 0);
            Await.until("nor counted", Duration.ofSeconds(10), () -> conformsGauge() == 0.0);
        }
    }

    private double conformsGauge() {
        return PrometheusText.value(PrometheusText.parse(api.get("/metrics").body()), "sluice_audio_conforms");
    }

    /** Audio conforms of this JVM (the deployed WAR's). */
    private static long audioConforms() {
        return ConformProcesses.of(ProcessHandle.current()).count();
    }

    @Test
    void aManualFailoverKeepsPlayersOnTheirVideoAndAudio() throws Exception {
        byte[] a = SpliceSources.primary();
        byte[] b = SpliceSources.backup();
        upstream.route("/a/live.ts", TestUpstream.pacedThenReset(a, 0, rate(a), Integer.MAX_VALUE));
        // The backup's clock is far from the primary's, as two providers' are: the probe finds the splice by it.
        upstream.route("/b/live.ts", TestUpstream.pacedThenReset(b, bytesOf(b, 20), rate(b), Integer.MAX_VALUE));
        String id = api.register(upstream.url("/a/live.ts"), "\"failover_urls\":[\"" + upstream.url("/b/live.ts") + "\"]");
        try (Player p = Player.play(playerUrl(id), CAPTURE)) {
            Await.until("5 s of the primary", Duration.ofSeconds(20), () -> p.captured() >= bytesOf(a, 5));
            int before = p.captured();
            assertEquals(200, api.post("/streams/" + id + "/failover", "").status());
            Await.until("6 s of the backup", Duration.ofSeconds(30), () -> p.captured() >= before + bytesOf(b, 6));
            byte[] c = capture(p);
            assertPlayersStreamsContinue(c, save("manual-failover", c));
        }
    }

    @Test
    void aConformedBackupThatFailsTakesItsFfmpegAlongAndTheNextSourceNeedsNone() throws Exception {
        byte[] a = SpliceSources.primary();
        byte[] b = SpliceSources.backup();
        // Each source plays once, then answers 404: a primary (AAC), a backup (MP2: conformed) that fails after
        // 5 s of its own, and a third source with AAC again (the primary's programme, later in its clock).
        upstream.route("/a/live.ts", TestUpstream.firstThen(
                TestUpstream.pacedThenReset(a, 0, rate(a), bytesOf(a, 5)), TestUpstream.status(404)));
        upstream.route("/b/live.ts", TestUpstream.firstThen(
                TestUpstream.pacedThenReset(b, bytesOf(b, 2.5), rate(b), bytesOf(b, 5)), TestUpstream.status(404)));
        upstream.route("/c/live.ts", TestUpstream.pacedThenReset(a, bytesOf(a, 20), rate(a), Integer.MAX_VALUE));
        String id = api.register(upstream.url("/a/live.ts"), "\"failover_urls\":[\"" + upstream.url("/b/live.ts")
                + "\",\"" + upstream.url("/c/live.ts") + "\"]");
        try (Player p = Player.play(playerUrl(id), CAPTURE)) {
            Await.until("the backup's audio conformed", Duration.ofSeconds(30), () -> audioConforms() == 1);
            Await.until("the third source playing", Duration.ofSeconds(40), () -> upstream.requests("/c/live.ts") == 1);
            Await.until("the backup's FFmpeg gone with it", Duration.ofSeconds(10), () -> audioConforms() == 0);
            int atThird = p.captured();
            Await.until("4 s of the third source", Duration.ofSeconds(20), () -> p.captured() >= atThird + bytesOf(a, 4));
            assertFalse(p.ended().isDone(), "the player's connection stayed open through both failovers");
            assertEquals(0, audioConforms(), "AAC again: no conform");
            byte[] c = capture(p);
            Path file = save("conformed-then-failed", c);
            Decoders.Decode d = Decoders.decode(file.toString(), 60);
            System.out.println("splice " + file.getFileName() + ": failed packets video " + d.failedPackets(0)
                    + ", audio " + d.failedPackets(1) + "; error lines " + d.errorLines());
            assertEquals(0, d.exitCode(), d.errors());
            assertEquals(0, d.failedPackets(0), d.errors());
            assertTrue(d.failedPackets(1) <= 4, "audio fails at the two splices at most: " + d.errors());
        }
    }

    @Test
    void identicalSourcesSpliceWithoutADecoderError() throws Exception {
        byte[] a = SpliceSources.primary();
        String id = primaryDyingInto(a, 6);
        try (Player p = Player.play(playerUrl(id), CAPTURE)) {
            Await.until("6 s before and 5 s after the failover", Duration.ofSeconds(40),
                    () -> p.captured() >= bytesOf(a, 11));
            byte[] c = capture(p);
            Path file = save("identical", c);
            Decoders.Probe probe = Decoders.probe(file.toString(), 60);
            assertTrue(probe.packetsAfterSplice(0) >= 3 * 25 && probe.packetsAfterSplice(1) >= 3 * 30,
                    "the splice is in the capture: " + probe);
            Decoders.Decode d = Decoders.decode(file.toString(), 60);
            assertEquals(0, d.exitCode(), d.errors());
            assertTrue(d.seconds() >= 9, "decoded " + d.seconds() + " s");
            // The old source's picture cut by its failure never reached the player (the splicer sends whole units
            // only), and its pictures end without a hole: not one line from a decoder, nor from ffmpeg's re-timing.
            assertEquals("", d.errors());
        }
    }

    @Test
    void vlcStillHasAudioAfterAFailover() throws Exception {
        String id = primaryDyingInto(SpliceSources.backup(), 6);
        Vlc.Run run = Vlc.play(playerUrl(id), 16);
        assertAudioGoesOnAcrossTheFailover("VLC", run.audio(), run.log());
    }

    @Test
    void mpvStillHasAudioAfterAFailover() throws Exception {
        String id = primaryDyingInto(SpliceSources.backup(), 6);
        Mpv.Run run = Mpv.play(playerUrl(id), 16);
        assertAudioGoesOnAcrossTheFailover("mpv", run.audio(), run.log());
    }

    /**
     * What a real player wrote of its audio over 16 s with the primary failing after 6: both tones, the primary's
     * 440 Hz first and the backup's 880 Hz last, without a gap. The backup's MP2 reaches the player as the AAC it
     * opened (the audio conform): without it, mpv's audio ended at the failover (its libavcodec keeps the AAC
     * decoder) and VLC's file output started over with the new codec.
     */
    private static void assertAudioGoesOnAcrossTheFailover(String player, Wav audio, String log) {
        assertNotNull(audio, player + " wrote no audio: " + log);
        double seconds = audio.seconds();
        assertTrue(seconds >= 11, player + "'s audio: " + seconds + " s; log: " + log);
        double first = audio.toneAt(1, 2);
        double last = audio.toneAt(seconds - 3, 2);
        assertTrue(Math.abs(first - 440) < 20, player + " played the primary's tone first, heard: " + first + " Hz");
        assertTrue(Math.abs(last - 880) < 20, player + " played the backup's tone last, heard: " + last + " Hz");
    }

    @Test
    void aJoiningPlayerStartsAtTheLatestKeyframeTablesFirstAtMostAGopBehind() throws Exception {
        byte[] a = SpliceSources.primary();
        upstream.route("/a/live.ts", TestUpstream.pacedThenReset(a, 0, rate(a), Integer.MAX_VALUE));
        String id = api.register(upstream.url("/a/live.ts"));
        try (Player first = Player.play(playerUrl(id), 1024 * 1024)) {
            Await.until("5.5 s of the stream", Duration.ofSeconds(20), () -> first.total() >= bytesOf(a, 5.5));
            long sent = upstream.bytesSent("/a/live.ts");
            long joinNanos = System.nanoTime();
            try (Player joining = Player.play(playerUrl(id), 64 * 1024)) {
                Await.until("the joining player's first packets", Duration.ofSeconds(5),
                        () -> joining.captured() >= 3 * TsPacket.SIZE);
                long firstBytesMillis = (System.nanoTime() - joinNanos) / 1_000_000;
                byte[] c = joining.capturedBytes();
                assertEquals(TsPacket.PAT_PID, TsPacket.pid(c, 0), "PAT first");
                assertEquals(0x1000, TsPacket.pid(c, TsPacket.SIZE), "then the PMT");
                int k = 2 * TsPacket.SIZE;
                assertEquals(0x100, TsPacket.pid(c, k));
                assertTrue(Pes.startsKeyframe(c, k, 0x1B), "then a keyframe");
                long at = offsetOfVideoPes(a, Pes.pts(c, k));
                double lag = (sent - at) / (double) rate(a);
                assertTrue(lag >= 0 && lag <= SpliceSources.GOP_SECONDS + 0.25,
                        "lag behind the upstream " + lag + " s, GOP " + SpliceSources.GOP_SECONDS + " s");
                assertTrue(firstBytesMillis < 2000, "instant: first bytes after " + firstBytesMillis + " ms");
            }
        }
    }

    private static long offsetOfVideoPes(byte[] ts, long pts) {
        for (int off = 0; off + TsPacket.SIZE <= ts.length; off += TsPacket.SIZE) {
            if (TsPacket.pid(ts, off) == 0x100 && TsPacket.payloadUnitStart(ts, off) && Pes.pts(ts, off) == pts) {
                return off;
            }
        }
        throw new AssertionError("no picture with PTS " + pts + " in the source");
    }
}
