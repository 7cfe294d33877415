package io.sluice.broadcast;

import java.util.Map;

/**
 * The body of {@code POST /broadcast/{network_id}/start}, m3u-proxy's fields, as {@link BroadcastRequestParser}
 * checked them. {@code videoBitrate} is in kbit/s unless it carries its own unit; {@code audioBitrate} in kbit/s.
 * M3U Editor also sends fields this version does not use (subtitles, audio language, next programme, an output
 * directory); they are accepted and ignored — a caller never chooses where Sluice writes.
 */
public record BroadcastRequest(String streamUrl, int seekSeconds, int durationSeconds, int segmentStartNumber,
                               boolean addDiscontinuity, int segmentDuration, int hlsListSize, boolean transcode,
                               String videoBitrate, int audioBitrate, String videoResolution, String videoCodec,
                               String audioCodec, String preset, String hwaccel, String callbackUrl,
                               Map<String, String> headers, boolean dvrMode, Map<String, String> metadata) {
    public BroadcastRequest {
        headers = Map.copyOf(headers);
        metadata = Map.copyOf(metadata);
    }
}
