package io.sluice.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real audio and video for tests that need a decoder to understand the stream (transcoding): made once per run
 * by ffmpeg from its built-in test sources, 320x240 H.264 at 25 fps and a 440 Hz tone, in MPEG-TS.
 */
public final class TestMedia {
    public static final int SECONDS = 30;
    private static byte[] source;

    private TestMedia() {
    }

    public static synchronized byte[] sourceTs() {
        if (source == null) {
            File out = new File("target/test-media/source-" + SECONDS + "s.ts");
            try {
                if (!out.isFile()) {
                    out.getParentFile().mkdirs();
                    Process p = new ProcessBuilder(List.of("ffmpeg", "-nostdin", "-v", "error",
                            "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                            "-t", Integer.toString(SECONDS), "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
                            "-b:v", "300k", "-c:a", "aac", "-b:a", "64k", "-f", "mpegts", "-y", out.getPath()))
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                        p.destroyForcibly();
                        throw new IllegalStateException("ffmpeg could not make the test media");
                    }
                }
                source = Files.readAllBytes(out.toPath());
            } catch (IOException e) {
                throw new IllegalStateException("ffmpeg is needed to make the test media", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return source;
    }

    /** The rate that plays {@link #sourceTs()} {@code speed} times faster than real time. */
    public static int bytesPerSecond(double speed) {
        return (int) (sourceTs().length / (double) SECONDS * speed);
    }
}
