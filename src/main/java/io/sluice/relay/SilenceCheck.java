package io.sluice.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One silence check: FFmpeg's {@code silencedetect} over a sample of the stream that is already in the ring
 * (m3u-proxy's method). Runs on the silence-check pool, never on the relay's threads; the process is bounded in
 * time and its output in size.
 */
final class SilenceCheck {
    enum Result { SILENT, SOUND, UNKNOWN }

    private static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_LOG = 64 * 1024;

    private SilenceCheck() {
    }

    static List<String> command(String ffmpeg, double thresholdDb, double durationSeconds) {
        return List.of(ffmpeg, "-nostdin", "-hide_banner", "-v", "info", "-f", "mpegts", "-i", "pipe:0",
                "-map", "0:a:0", "-af", String.format(Locale.ROOT, "silencedetect=n=%.1fdB:d=%.2f",
                        thresholdDb, durationSeconds), "-f", "null", "-");
    }

    /** What silencedetect said: a silence of at least the duration anywhere in the sample is a silent check. */
    static Result verdict(String log, int exitCode) {
        if (log.contains("silence_start")) {
            return Result.SILENT;
        }
        return exitCode == 0 ? Result.SOUND : Result.UNKNOWN; // no audio to analyse is no verdict
    }

    static Result run(String ffmpeg, byte[] sample, double thresholdDb, double durationSeconds) {
        Process p;
        try {
            p = new ProcessBuilder(command(ffmpeg, thresholdDb, durationSeconds)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return Result.UNKNOWN;
        }
        // A hung FFmpeg is ended after the timeout, which also ends the read below.
        java.util.concurrent.CompletableFuture.runAsync(p::destroyForcibly,
                java.util.concurrent.CompletableFuture.delayedExecutor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        try {
            Thread feeder = new Thread(() -> {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(sample);
                } catch (IOException ignored) {
                    // FFmpeg stopped reading: its log says why
                }
            }, "sluice-silence-feed");
            feeder.setDaemon(true);
            feeder.start();
            String log = readBounded(p.getInputStream());
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return Result.UNKNOWN;
            }
            return verdict(log, p.exitValue());
        } catch (IOException e) {
            return Result.UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.UNKNOWN;
        } finally {
            p.destroyForcibly();
        }
    }

    private static String readBounded(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (b.length() < MAX_LOG) {
                b.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        }
        return b.toString();
    }
}
