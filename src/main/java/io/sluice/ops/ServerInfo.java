package io.sluice.ops;

import io.sluice.config.Settings;
import io.sluice.transcode.Ffmpeg;
import io.sluice.transcode.TranscodeProfiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /info} in m3u-proxy's shape (M3U Editor's "Test connection" reads {@code version},
 * {@code hardware_acceleration.enabled} and {@code redis.pooling_enabled} with no default), followed by Sluice's
 * own settings. Secrets only as whether they are set: m3u-proxy's {@code redis.password} is left out.
 */
@ApplicationScoped
public class ServerInfo {
    @Inject
    Settings settings;
    @Inject
    Ffmpeg ffmpeg;

    public record Info(String version, String ffmpegVersion, String streamlinkVersion, String ytdlpVersion,
                       HardwareAcceleration hardwareAcceleration, Redis redis, Transcoding transcoding,
                       Configuration configuration, Worker worker,
                       String name, String rootPath, String publicBaseUrl, boolean apiTokenSet,
                       boolean segmentSigningKeySet, String defaultUserAgent, double connectTimeout,
                       double readTimeout, double liveChunkTimeoutSeconds, int streamRetryAttempts,
                       double streamRetryDelay, boolean streamRetryExponentialBackoff, double streamTotalTimeout,
                       int maxFailoverAttempts, boolean useStickySession, double clientTimeout, double streamTimeout,
                       boolean sharedUpstream, int relayBufferBytes, String store,
                       SilenceDetection silenceDetection) {
    }

    /**
     * m3u-proxy's silence detection settings (the instance's defaults; streams may override them), and whether it
     * can run here: without FFmpeg it is skipped, never an error.
     */
    public record SilenceDetection(boolean enabled, boolean available, double thresholdDb, double duration,
                                   double checkInterval, int failoverThreshold, double monitoringGracePeriod) {
    }

    /** What FFmpeg could use here: a render node (VAAPI/QSV) or an NVIDIA device, when FFmpeg itself is here. */
    public record HardwareAcceleration(boolean enabled, String type, String device, List<String> ffmpegArgs) {
    }

    /**
     * m3u-proxy's {@code redis} block. "Pooling" there means players share one upstream or FFmpeg per stream,
     * which Sluice does whenever {@code SHARED_UPSTREAM} is on, with or without Redis; streams are shared by URL.
     */
    public record Redis(boolean enabled, boolean poolingEnabled, String host, Integer port, Integer db,
                        Integer maxClientsPerStream, Double streamTimeout, String sharingStrategy) {
    }

    public record Transcoding(boolean enabled, Map<String, String> profiles) {
    }

    public record Configuration(String defaultUserAgent, double clientTimeout, double streamTimeout,
                                double cleanupInterval, int maxRetries) {
    }

    /** One process: m3u-proxy's single-worker answer. */
    public record Worker(String workerId, double heartbeatInterval, boolean multiWorkerMode) {
    }

    public Info info() {
        Settings s = settings;
        return new Info(ProxyStats.VERSION, ffmpegVersion(), null, null, hardwareAcceleration(), redis(s),
                transcoding(), new Configuration(s.defaultUserAgent(), secs(s.clientTimeout()),
                secs(s.streamTimeout()), 0.5, s.retryAttempts()),
                new Worker("single", secs(s.storeSyncInterval()), false),
                "Sluice", s.rootPath(), s.publicBaseUrl().orElse(null), s.apiToken().isPresent(),
                s.segmentSigningKey().isPresent(), s.defaultUserAgent(), secs(s.connectTimeout()),
                secs(s.readTimeout()), secs(s.liveChunkTimeout()), s.retryAttempts(), secs(s.retryDelay()),
                s.retryExponentialBackoff(), secs(s.totalTimeout()), s.maxFailoverAttempts(), s.useStickySession(),
                secs(s.clientTimeout()), secs(s.streamTimeout()), s.sharedUpstream(), s.relayBufferBytes(),
                s.store(), new SilenceDetection(s.silenceDetection(), ffmpeg.available(), s.silenceThresholdDb(),
                        secs(s.silenceDuration()), secs(s.silenceCheckInterval()), s.silenceFailoverThreshold(),
                        secs(s.silenceGracePeriod())));
    }

    /** "5.1.8-0+deb12u1" out of "ffmpeg version 5.1.8-0+deb12u1 Copyright …", or null without FFmpeg. */
    private String ffmpegVersion() {
        String line = ffmpeg.version();
        if (line == null) {
            return null;
        }
        String[] words = line.trim().split("\\s+");
        return words.length >= 3 && words[1].equals("version") ? words[2] : line.trim();
    }

    private HardwareAcceleration hardwareAcceleration() {
        if (ffmpeg.available()) {
            if (Files.exists(Path.of("/dev/nvidia0"))) {
                return new HardwareAcceleration(true, "nvidia", "/dev/nvidia0", List.of("-hwaccel", "cuda"));
            }
            Path render = Path.of("/dev/dri/renderD128");
            if (Files.exists(render)) {
                return new HardwareAcceleration(true, "vaapi", render.toString(),
                        List.of("-hwaccel", "vaapi", "-hwaccel_device", render.toString()));
            }
        }
        return new HardwareAcceleration(false, null, null, List.of());
    }

    private static Redis redis(Settings s) {
        boolean pooling = s.sharedUpstream();
        Double timeout = pooling ? secs(s.streamTimeout()) : null;
        String strategy = pooling ? "url_only" : null;
        if (s.redisUrl().isEmpty()) {
            return new Redis(false, pooling, null, null, null, null, timeout, strategy);
        }
        URI u = s.redisUrl().get();
        String path = u.getPath() == null ? "" : u.getPath().replace("/", "");
        return new Redis(s.store().equals("redis"), pooling, u.getHost(), u.getPort() == -1 ? 6379 : u.getPort(),
                path.matches("\\d{1,5}") ? Integer.valueOf(path) : 0, null, timeout, strategy);
    }

    private Transcoding transcoding() {
        Map<String, String> profiles = new LinkedHashMap<>();
        TranscodeProfiles.all().forEach(p -> profiles.put(p.name(), p.description()));
        return new Transcoding(ffmpeg.available(), profiles);
    }

    private static double secs(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
