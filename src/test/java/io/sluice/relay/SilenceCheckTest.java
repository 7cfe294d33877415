package io.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.config.Settings;
import io.sluice.streams.SilenceDetection;
import io.sluice.testing.SpliceSources;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FFmpeg's silencedetect on samples of real streams, and the per-stream overrides of the settings. */
class SilenceCheckTest {
    private static byte[] seconds(byte[] ts, double from, double length) {
        int rate = SpliceSources.realTimeRate(ts);
        int start = (int) (from * rate) / 188 * 188;
        return Arrays.copyOfRange(ts, start, start + (int) (length * rate) / 188 * 188);
    }

    @Test
    void aSilentSourceIsSilentAndAToneIsNot() {
        assertEquals(SilenceCheck.Result.SILENT,
                SilenceCheck.run("ffmpeg", seconds(SpliceSources.silent(), 3, 5), -50, 3));
        assertEquals(SilenceCheck.Result.SOUND,
                SilenceCheck.run("ffmpeg", seconds(SpliceSources.primary(), 3, 5), -50, 3));
    }

    @Test
    void withoutFfmpegThereIsNoVerdict() {
        assertEquals(SilenceCheck.Result.UNKNOWN,
                SilenceCheck.run("/nonexistent/ffmpeg", seconds(SpliceSources.silent(), 3, 5), -50, 3));
    }

    @Test
    void verdictsFromTheLog() {
        assertEquals(SilenceCheck.Result.SILENT, SilenceCheck.verdict(
                "[silencedetect @ 0x1] silence_start: 0.0213\n", 0));
        assertEquals(SilenceCheck.Result.SOUND, SilenceCheck.verdict("size=N/A time=00:00:05.00\n", 0));
        assertEquals(SilenceCheck.Result.UNKNOWN, SilenceCheck.verdict("Stream map '0:a:0' matches no streams.", 1));
    }

    @Test
    void theStreamsOwnFieldsWinOverTheSettings() {
        Settings s = Settings.from(Map.of("ENABLE_SILENCE_DETECTION", "false", "SILENCE_THRESHOLD_DB", "-45")::get);
        SilencePolicy instance = SilencePolicy.of(s, null);
        assertEquals(false, instance.enabled());
        assertEquals(-45, instance.thresholdDb());
        assertEquals(Duration.ofSeconds(3), instance.duration());
        assertEquals(Duration.ofSeconds(10), instance.checkInterval());
        assertEquals(3, instance.failoverThreshold());
        assertEquals(Duration.ofSeconds(15), instance.gracePeriod());
        SilencePolicy own = SilencePolicy.of(s, new SilenceDetection(true, null, 1.5, 2.0, 2, null));
        assertEquals(new SilencePolicy(true, -45, Duration.ofMillis(1500), Duration.ofSeconds(2), 2,
                Duration.ofSeconds(15)), own);
    }
}
