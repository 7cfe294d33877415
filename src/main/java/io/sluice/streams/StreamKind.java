package io.sluice.streams;

import java.net.URI;
import java.util.Locale;

/**
 * What a stream carries, detected from its URL path (SPEC 5) and overridable at registration; a stream registered
 * through {@code POST /transcode} is {@link #TRANSCODED} (live MPEG-TS out of FFmpeg, whatever its source is).
 */
public enum StreamKind {
    LIVE_TS, HLS, VOD, TRANSCODED;

    public static StreamKind detect(String url) {
        String path;
        try {
            path = URI.create(url).getPath();
        } catch (IllegalArgumentException e) {
            path = url;
        }
        path = path == null ? "" : path.toLowerCase(Locale.ROOT);
        if (path.endsWith(".m3u8") || path.endsWith(".m3u")) {
            return HLS;
        }
        if (path.endsWith(".mp4") || path.endsWith(".mkv") || path.endsWith(".webm") || path.endsWith(".avi")
                || path.contains("/movie/") || path.contains("/series/") || path.contains("/timeshift/")) {
            return VOD;
        }
        return LIVE_TS;
    }

    /**
     * m3u-proxy's label in stream listings ({@code GET /streams}, {@code by-metadata}): "HLS", "VOD",
     * "Live Continuous", "Transcoding".
     */
    public String statsLabel() {
        return switch (this) {
            case HLS -> "HLS";
            case VOD -> "VOD";
            case TRANSCODED -> "Transcoding";
            case LIVE_TS -> "Live Continuous";
        };
    }

    /** m3u-proxy's label in a failover answer, which says "Transcoded" where listings say "Transcoding". */
    public String failoverLabel() {
        return this == TRANSCODED ? "Transcoded" : statsLabel();
    }

    /** m3u-proxy's {@code stream_type} at registration: HLS and transcoded are told apart, everything else is a direct stream. */
    public String apiName() {
        return switch (this) {
            case HLS -> "hls";
            case TRANSCODED -> "transcoded";
            default -> "direct";
        };
    }
}
