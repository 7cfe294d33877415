package io.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real player, ffmpeg, reading a stream as a viewer would and writing down every video packet it got (its
 * decoding timestamp, from {@code -f framecrc}): a replay shows as a timestamp that does not move forward.
 */
public final class FfmpegCapture {
    /** What one run got: exit code, the video packets' timestamps in order, and ffmpeg's complaints. */
    public record Capture(int exitCode, List<Long> dts, long timeBaseDenominator, String errors) {
        /** Packets whose timestamp is not after every one before it. */
        public int repeatedTimestamps() {
            int repeated = 0;
            long max = Long.MIN_VALUE;
            for (long d : dts) {
                if (d <= max) {
                    repeated++;
                }
                max = Math.max(max, d);
            }
            return repeated;
        }

        /** Seconds between the first and last packet. */
        public double seconds() {
            return dts.isEmpty() ? 0 : (dts.get(dts.size() - 1) - dts.get(0)) / (double) timeBaseDenominator;
        }
    }

    private FfmpegCapture() {
    }

    /** Starts ffmpeg on {@code url} for {@code seconds} of media (stream copy, no decoding). */
    public static CompletableFuture<Capture> start(String url, int seconds) {
        Process p;
        try {
            p = new ProcessBuilder(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", url, "-t",
                    Integer.toString(seconds), "-map", "0:v:0", "-c", "copy", "-f", "framecrc", "-")).start();
        } catch (IOException e) {
            throw new AssertionError("ffmpeg could not start (scripts/ensure-test-tools.sh installs it)", e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        return CompletableFuture.supplyAsync(() -> {
            try {
                if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("ffmpeg did not finish: " + err.getNow(""));
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            List<Long> dts = new ArrayList<>();
            long denominator = 90_000;
            for (String line : out.join().split("\n")) {
                if (line.startsWith("#tb 0:")) {
                    denominator = Long.parseLong(line.substring(line.indexOf('/') + 1).trim());
                } else if (line.startsWith("0,")) {
                    dts.add(Long.parseLong(line.split(",")[1].trim()));
                }
            }
            return new Capture(p.exitValue(), dts, denominator, err.join().trim());
        });
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
