package io.sluice.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two real live sources that differ as a provider's primary and backup do (issue 14): other PIDs, another frame
 * rate, another H.264 profile, another audio codec. Made once per run by Debian's ffmpeg from its test sources.
 * Both have a keyframe every second (GOP {@link #GOP_SECONDS}).
 */
public final class SpliceSources {
    public static final int SECONDS = 40;
    public static final double GOP_SECONDS = 1.0;
    private static byte[] primary;
    private static byte[] backup;

    private SpliceSources() {
    }

    /** H.264 Main 25 fps + AAC; PMT 0x1000, streams from 0x100 (ffmpeg's defaults, spelled out). */
    public static synchronized byte[] primary() {
        if (primary == null) {
            primary = make("primary", "testsrc=size=320x240:rate=25", 25, "main", "aac", "0x1000", "0x100", 440);
        }
        return primary;
    }

    /** H.264 High 50 fps + MP2; PMT 0x1200, streams from 0x300. */
    public static synchronized byte[] backup() {
        if (backup == null) {
            backup = make("backup", "testsrc2=size=320x240:rate=50", 50, "high", "mp2", "0x1200", "0x300", 880);
        }
        return backup;
    }

    private static byte[] silent;

    /** Like the primary, but its audio is digital silence (ffmpeg's anullsrc): a provider's muted channel. */
    public static synchronized byte[] silent() {
        if (silent == null) {
            silent = make("silent", "testsrc=size=320x240:rate=25", 25, "main", "aac", "0x1000", "0x100", 0);
        }
        return silent;
    }

    /** Bytes per second that play {@code ts} in real time. */
    public static int realTimeRate(byte[] ts) {
        return (int) (ts.length / (double) SECONDS);
    }

    private static byte[] make(String name, String video, int fps, String profile, String audio, String pmtPid,
                               String startPid, int tone) {
        File out = new File("target/test-media/splice-" + name + "-" + SECONDS + "s.ts");
        try {
            if (!out.isFile()) {
                out.getParentFile().mkdirs();
                List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error",
                        "-f", "lavfi", "-i", video,
                        "-f", "lavfi", "-i", tone == 0 ? "anullsrc=channel_layout=stereo:sample_rate=48000"
                                : "sine=frequency=" + tone + ":sample_rate=48000",
                        "-t", Integer.toString(SECONDS), "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast",
                        "-profile:v", profile, "-g", Integer.toString(fps), "-keyint_min", Integer.toString(fps),
                        "-sc_threshold", "0", "-b:v", "300k", "-maxrate", "300k", "-bufsize", "300k",
                        "-c:a", audio, "-b:a", "96k",
                        "-mpegts_pmt_start_pid", pmtPid, "-mpegts_start_pid", startPid,
                        "-muxrate", "600k", "-f", "mpegts", "-y", out.getPath()));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IllegalStateException("ffmpeg could not make " + out);
                }
            }
            return Files.readAllBytes(out.toPath());
        } catch (IOException e) {
            throw new IllegalStateException("ffmpeg is needed to make the splice sources", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
