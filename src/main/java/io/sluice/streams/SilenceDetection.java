package io.sluice.streams;

/**
 * m3u-proxy's per-stream silence detection overrides ({@code POST /streams}: {@code enable_silence_detection},
 * {@code silence_threshold_db}, {@code silence_duration}, {@code silence_check_interval},
 * {@code silence_failover_threshold}, {@code silence_monitoring_grace_period}). A null field means "the
 * instance's setting"; the whole record is null when the request named none of them.
 */
public record SilenceDetection(Boolean enabled, Double thresholdDb, Double duration, Double checkInterval,
                               Integer failoverThreshold, Double monitoringGracePeriod) {
}
