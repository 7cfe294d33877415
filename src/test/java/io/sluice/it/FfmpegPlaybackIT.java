package io.sluice.it;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.LiveHls;
import io.sluice.testing.TestUpstream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A real player, ffmpeg, decodes live HLS and a VOD file through the deployed WAR with no error. */
class FfmpegPlaybackIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }


    /** What one ffmpeg run decoded, and what it complained about at level "error". */
    record Decode(int exitCode, double seconds, String errors) {
    }

    private static Decode decode(String url, int maxSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", url,
                "-t", Integer.toString(maxSeconds), "-f", "null", "-progress", "pipe:1", "-"))
                .start();
        CompletableFuture<String> progress = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(maxSeconds + 40L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ffmpeg did not finish: " + errors.getNow(""));
        }
        Matcher m = Pattern.compile("out_time_us=(\\d+)").matcher(progress.join());
        long us = 0;
        while (m.find()) {
            us = Long.parseLong(m.group(1));
        }
        return new Decode(p.exitValue(), us / 1e6, errors.join().trim());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void liveHlsDecodesFor20Seconds() throws Exception {
        LiveHls.serve(upstream, "/live/ff", 500);
        String id = api.register(upstream.url("/live/ff/master.m3u8"));
        Decode d = decode(api.base() + "/hls/" + id + "/playlist.m3u8", 20);
        assertEquals("", d.errors());
        assertEquals(0, d.exitCode());
        assertTrue(d.seconds() >= 19.5, "decoded " + d.seconds() + " s");
    }

    @Test
    void vodDecodesWhole() throws Exception {
        byte[] movie = LiveHls.resource("/media/movie.mp4");
        upstream.route("/movie/u/p/7.mp4", TestUpstream.rangedFile(movie, "video/mp4"));
        String id = api.register(upstream.url("/movie/u/p/7.mp4"));
        Decode d = decode(api.base() + "/stream/" + id, 60);
        assertEquals("", d.errors());
        assertEquals(0, d.exitCode());
        assertTrue(d.seconds() >= 7.5, "decoded " + d.seconds() + " s");
    }
}
