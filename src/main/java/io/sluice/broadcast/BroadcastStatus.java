package io.sluice.broadcast;

import java.util.Map;

/**
 * m3u-proxy's broadcast status: {@code status} is starting, running, stopped or failed; {@code hls_dir} is the DVR
 * recording's directory in {@code dvr_mode}, else null (segments live in memory); {@code first_segment_seconds} (Sluice's) is how long FFmpeg took to its first
 * segment.
 */
public record BroadcastStatus(String networkId, String status, long currentSegmentNumber, String startedAt,
                              String streamUrl, String hlsDir, Long ffmpegPid, String errorMessage, long bytesWritten,
                              Map<String, String> metadata, Double firstSegmentSeconds, int segmentsInMemory) {
}
