package io.sluice.relay;

import io.sluice.config.Settings;
import io.sluice.streams.SilenceDetection;
import java.time.Duration;

/**
 * Silence detection for one stream as m3u-proxy has it: the instance's {@code SILENCE_*} settings, each
 * overridden by the stream's own field from {@code POST /streams} when it set one.
 */
record SilencePolicy(boolean enabled, double thresholdDb, Duration duration, Duration checkInterval,
                     int failoverThreshold, Duration gracePeriod) {

    static SilencePolicy of(Settings s, SilenceDetection own) {
        if (own == null) {
            return new SilencePolicy(s.silenceDetection(), s.silenceThresholdDb(), s.silenceDuration(),
                    s.silenceCheckInterval(), s.silenceFailoverThreshold(), s.silenceGracePeriod());
        }
        return new SilencePolicy(
                own.enabled() != null ? own.enabled() : s.silenceDetection(),
                own.thresholdDb() != null ? own.thresholdDb() : s.silenceThresholdDb(),
                own.duration() != null ? seconds(own.duration()) : s.silenceDuration(),
                own.checkInterval() != null ? seconds(own.checkInterval()) : s.silenceCheckInterval(),
                own.failoverThreshold() != null ? own.failoverThreshold() : s.silenceFailoverThreshold(),
                own.monitoringGracePeriod() != null ? seconds(own.monitoringGracePeriod()) : s.silenceGracePeriod());
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }
}
