package io.sluice.transcode;

import io.sluice.config.Settings;
import io.sluice.streams.StreamSpec;
import io.sluice.support.DaemonThreads;
import io.sluice.ts.AudioChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The FFmpeg program ({@code FFMPEG_PATH}): whether it is there, and the command line of one transcoder. It is
 * looked for when first needed and again every half minute while it is missing, so installing it needs no
 * restart.
 */
@ApplicationScoped
public class Ffmpeg {
    /** What a player or an editor is told when transcoding is asked for and FFmpeg is not here. */
    public static final String MISSING = "Transcoding needs FFmpeg, which is not installed here: install it "
            + "(Debian: apt-get install ffmpeg) or set FFMPEG_PATH";
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Inject
    Settings settings;

    private volatile String version;
    private volatile long checkedAt;
    private volatile boolean checked;
    private final AtomicBoolean probing = new AtomicBoolean();

    /** One line such as "ffmpeg version 5.1.8-0+deb12u1", or null when FFmpeg cannot be run. */
    public String version() {
        long now = System.nanoTime();
        if (!checked || (version == null && now - checkedAt > RECHECK_NANOS)) {
            synchronized (this) {
                if (!checked || (version == null && now - checkedAt > RECHECK_NANOS)) {
                    version = probe(settings.ffmpegPath());
                    checkedAt = System.nanoTime();
                    checked = true;
                }
            }
        }
        return version;
    }

    public boolean available() {
        return version() != null;
    }

    /**
     * Whether FFmpeg is known to be here, without waiting (for callers on an upstream I/O thread, under a relay's
     * lock): a look that is due runs on a thread of its own, and until it answers the last answer holds.
     */
    public boolean availableNow() {
        long now = System.nanoTime();
        if ((!checked || (version == null && now - checkedAt > RECHECK_NANOS)) && probing.compareAndSet(false, true)) {
            DaemonThreads.named("sluice-ffmpeg-probe").newThread(() -> {
                try {
                    version();
                } finally {
                    probing.set(false);
                }
            }).start();
        }
        return version != null;
    }

    /** Looks for FFmpeg once the application is up, so the first failover that needs it finds it known. */
    void lookAtStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        availableNow();
    }

    static String probe(String path) {
        try {
            Process p = new ProcessBuilder(path, "-hide_banner", "-version").redirectErrorStream(true).start();
            String first;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                first = r.readLine();
                while (r.readLine() != null) {
                    // drain, so the process can end
                }
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 && first != null && first.startsWith("ffmpeg") ? first.trim() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The command line of an audio conform: MPEG-TS from standard input, video copied, each audio stream
     * re-encoded where {@code change} says (the n-th audio stream as FFmpeg counts them; else copied), timestamps kept (players' clocks run on), MPEG-TS on
     * standard output. Other streams (subtitles, data) are left out while a source is conformed. Half a second
     * of the source is looked at before the first output: the players are waiting at a failover.
     */
    public List<String> conformCommand(AudioChange change) {
        List<String> cmd = new ArrayList<>(List.of(settings.ffmpegPath(), "-hide_banner", "-nostdin",
                "-loglevel", "error", "-analyzeduration", "500000", "-probesize", "1000000",
                // Everything copied unless said otherwise: an audio stream FFmpeg counts that this proxy does not
                // (a private type it probes as audio) must not get the container's default encoder.
                "-f", "mpegts", "-i", "pipe:0", "-map", "0:v?", "-map", "0:a?", "-c", "copy"));
        for (int i = 0; i < change.encoders().size(); i++) {
            String encoder = change.encoders().get(i);
            cmd.add("-c:a:" + i);
            cmd.add(encoder == null ? "copy" : encoder);
            if ("mp2".equals(encoder)) {
                cmd.add("-ac:a:" + i); // MPEG audio carries at most two channels
                cmd.add("2");
            }
        }
        cmd.addAll(List.of("-copyts", "-f", "mpegts", "pipe:1"));
        return cmd;
    }

    /**
     * The whole command line: the source over http(s) only (FFmpeg may follow nothing else, not even from inside
     * an HLS playlist), the profile's arguments, MPEG-TS on standard output.
     */
    public List<String> command(URI source, StreamSpec spec) {
        List<String> cmd = new ArrayList<>(List.of(settings.ffmpegPath(), "-hide_banner", "-nostdin",
                "-loglevel", "error", "-protocol_whitelist", "http,https,tcp,tls,crypto",
                "-rw_timeout", Long.toString(settings.readTimeout().toNanos() / 1000),
                // A live source: look at one second of it, not five, before the first output (players wait).
                "-analyzeduration", "1000000", "-probesize", "1000000"));
        if (spec.userAgent() != null) {
            cmd.add("-user_agent");
            cmd.add(spec.userAgent());
        }
        if (!spec.headers().isEmpty()) {
            StringBuilder h = new StringBuilder();
            for (Map.Entry<String, String> e : spec.headers().entrySet()) {
                h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
            }
            cmd.add("-headers");
            cmd.add(h.toString());
        }
        cmd.addAll(spec.transcode().inputArguments());
        cmd.add("-i");
        cmd.add(source.toString());
        cmd.addAll(spec.transcode().arguments());
        cmd.addAll(List.of("-f", "mpegts", "pipe:1"));
        return cmd;
    }
}
