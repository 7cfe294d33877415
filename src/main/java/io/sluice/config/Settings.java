package io.sluice.config;

import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Every setting Sluice reads, typed and validated once at start-up (SPEC 2).
 * Looked up by name in system properties first, then environment variables, then defaults.
 */
public record Settings(
        Optional<String> apiToken,
        String rootPath,
        Optional<String> publicBaseUrl,
        String defaultUserAgent,
        Duration connectTimeout,
        Duration readTimeout,
        Duration liveChunkTimeout,
        Duration liveFirstDataTimeout,
        Duration liveStallRecovery,
        Duration hlsPlaylistTimeout,
        int retryAttempts,
        Duration retryDelay,
        boolean retryExponentialBackoff,
        Duration totalTimeout,
        int maxFailoverAttempts,
        boolean useStickySession,
        Duration clientTimeout,
        Duration streamTimeout,
        boolean sharedUpstream,
        int relayBufferBytes,
        Duration slowClientGrace,
        int maxUpstreamConnections,
        int maxRequestBodyBytes,
        Optional<String> segmentSigningKey,
        Duration segmentReferenceTtl,
        int vodResumeAttempts,
        java.util.Set<Integer> failConditionStatuses,
        Duration invalidSourceDuration,
        Duration resolverTimeout,
        int webhookQueueSize,
        Duration webhookRetryBaseDelay,
        String store,
        Optional<java.net.URI> redisUrl,
        Duration storeTimeout,
        Duration storeSyncInterval,
        int providerMaxConnections,
        String providerLimitPolicy,
        boolean metricsPublic,
        String logFormat,
        String ffmpegPath,
        int transcodeMaxProcesses,
        int broadcastMaxConcurrent,
        int broadcastWindowMaxMb,
        Optional<String> broadcastDvrDir,
        int broadcastDvrMaxMb,
        Duration spliceKeyframeWait,
        boolean spliceConformAudio,
        int spliceConformMaxProcesses,
        Duration tsHealthTimeout,
        boolean silenceDetection,
        double silenceThresholdDb,
        Duration silenceDuration,
        Duration silenceCheckInterval,
        int silenceFailoverThreshold,
        Duration silenceGracePeriod,

        int maxViewers,
        int maxViewersPerIp,
        Duration playerPauseLimit) {

    public static final String BROWSER_USER_AGENT =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    + "Chrome/142.0.0.0 Safari/537.36";

    /** Reads the process's own settings: system properties win over environment variables. */
    public static Settings fromEnvironment() {
        return from(name -> {
            String v = System.getProperty(name);
            return v != null ? v : System.getenv(name);
        });
    }

    public static Settings from(UnaryOperator<String> lookup) {
        Settings s = read(new SettingReader(lookup));
        if (s.store().equals("redis") && s.redisUrl().isEmpty()) {
            throw new InvalidSettingException("REDIS_URL", "", "a redis:// URL, because STORE=redis");
        }
        return s;
    }

    private static Settings read(SettingReader r) {
        return new Settings(
                r.optionalText("API_TOKEN"),
                r.path("ROOT_PATH", "/m3u-proxy"),
                r.optionalHttpUrl("PUBLIC_BASE_URL"),
                r.text("DEFAULT_USER_AGENT", BROWSER_USER_AGENT),
                r.seconds("DEFAULT_CONNECTION_TIMEOUT", 10, 0.1, 300),
                r.seconds("DEFAULT_READ_TIMEOUT", 30, 0.1, 600),
                r.seconds("LIVE_CHUNK_TIMEOUT_SECONDS", 15, 0.1, 600),
                r.seconds("LIVE_FIRST_DATA_TIMEOUT_SECONDS", 3, 0.1, 600),
                r.seconds("LIVE_STALL_RECOVERY_SECONDS", 5, 0, 3600),
                r.seconds("HLS_PLAYLIST_TIMEOUT_SECONDS", 8, 0.1, 600),
                r.integer("STREAM_RETRY_ATTEMPTS", 3, 0, 100),
                r.seconds("STREAM_RETRY_DELAY", 1.0, 0, 60),
                r.bool("STREAM_RETRY_EXPONENTIAL_BACKOFF", false),
                r.seconds("STREAM_TOTAL_TIMEOUT", 30, 0, 3600),
                r.integer("MAX_FAILOVER_ATTEMPTS", 0, 0, 1000),
                r.bool("USE_STICKY_SESSION", false),
                r.seconds("CLIENT_TIMEOUT", 10, 1, 3600),
                r.seconds("STREAM_TIMEOUT", 15, 0, 3600),
                r.bool("SHARED_UPSTREAM", true),
                r.integer("RELAY_BUFFER_BYTES", 2 * 1024 * 1024, 64 * 1024, 256 * 1024 * 1024),
                r.seconds("SLOW_CLIENT_GRACE", 1.0, 0.05, 60),
                r.integer("MAX_UPSTREAM_CONNECTIONS", 2000, 1, 100_000),
                r.integer("MAX_REQUEST_BODY_BYTES", 256 * 1024, 1024, 16 * 1024 * 1024),
                r.optionalText("SEGMENT_SIGNING_KEY"),
                r.seconds("SEGMENT_REFERENCE_TTL", 6 * 3600, 10, 7 * 24 * 3600),
                r.integer("VOD_RESUME_ATTEMPTS", 5, 0, 50),
                r.statusCodes("FAIL_CONDITION_STATUSES"),
                r.minutes("INVALID_SOURCE_MINUTES", 5),
                r.seconds("FAILOVER_RESOLVER_TIMEOUT", 10, 0.1, 120),
                r.integer("WEBHOOK_QUEUE_SIZE", 10_000, 10, 1_000_000),
                r.seconds("WEBHOOK_RETRY_BASE_DELAY", 1.0, 0.01, 60),
                r.choice("STORE", "memory", "memory", "redis"),
                r.optionalRedisUrl("REDIS_URL"),
                r.seconds("STORE_TIMEOUT", 1, 0.05, 30),
                r.seconds("STORE_SYNC_INTERVAL", 2, 0.1, 300),
                r.integer("PROVIDER_MAX_CONNECTIONS", 0, 0, 100_000),
                r.choice("PROVIDER_LIMIT_POLICY", "reject", "reject", "stop_oldest"),
                r.bool("METRICS_PUBLIC", false),
                r.choice("LOG_FORMAT", "text", "text", "json"),
                r.text("FFMPEG_PATH", "ffmpeg"),
                r.integer("TRANSCODE_MAX_PROCESSES", 4, 0, 1000),
                r.integer("BROADCAST_MAX_CONCURRENT", 4, 0, 1000),
                r.integer("BROADCAST_WINDOW_MAX_MB", 64, 1, 4096),
                r.optionalDirectory("BROADCAST_DVR_DIR"),
                r.integer("BROADCAST_DVR_MAX_MB", 4096, 1, 1024 * 1024),
                r.seconds("SPLICE_KEYFRAME_WAIT", 5, 0, 60),
                r.bool("SPLICE_CONFORM_AUDIO", true),
                r.integer("SPLICE_CONFORM_MAX_PROCESSES", 16, 0, 1000),
                r.seconds("TS_HEALTH_TIMEOUT", 5, 0, 600),
                r.bool("ENABLE_SILENCE_DETECTION", false),
                r.decimal("SILENCE_THRESHOLD_DB", -50, -120, 0),
                r.seconds("SILENCE_DURATION", 3, 0.1, 600),
                r.seconds("SILENCE_CHECK_INTERVAL", 10, 0.5, 3600),
                r.integer("SILENCE_FAILOVER_THRESHOLD", 3, 1, 1000),
                r.seconds("SILENCE_MONITORING_GRACE_PERIOD", 15, 0, 3600),
                r.integer("MAX_VIEWERS", 1000, 0, 1_000_000),
                r.integer("MAX_VIEWERS_PER_IP", 50, 0, 1_000_000),
                r.seconds("PLAYER_PAUSE_LIMIT", 600, 1, 86_400));
    }

    /** How long a live connection made while recovering may take to bring data: never longer than a stall. */
    public Duration firstDataDeadline() {
        return liveFirstDataTimeout.compareTo(liveChunkTimeout) < 0 ? liveFirstDataTimeout : liveChunkTimeout;
    }

    /**
     * How long a playlist may take to arrive whole: a live playlist is a few KB, and a player asking for one gives
     * up after about ten seconds, so a source that has not sent it by then has failed (never longer than the
     * connect and read timeouts together).
     */
    public Duration playlistDeadline() {
        Duration both = connectTimeout.plus(readTimeout);
        return hlsPlaylistTimeout.compareTo(both) < 0 ? hlsPlaylistTimeout : both;
    }

    /** A view for logs and {@code /info}: the token is reduced to whether it is set. */
    @Override
    public String toString() {
        return "Settings[apiToken=" + (apiToken.isPresent() ? "<set>" : "<unset>")
                + ", segmentSigningKey=" + (segmentSigningKey.isPresent() ? "<set>" : "<random>")
                + ", rootPath=" + rootPath + ", publicBaseUrl=" + publicBaseUrl.orElse("<derived>")
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", liveChunkTimeout=" + liveChunkTimeout + ", retryAttempts=" + retryAttempts
                + ", streamTimeout=" + streamTimeout + ", sharedUpstream=" + sharedUpstream
                + ", relayBufferBytes=" + relayBufferBytes
                + ", store=" + store + (redisUrl.isPresent() ? " at " + redisUrl.get().getHost() : "") + "]";
    }
}
