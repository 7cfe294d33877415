package io.sluice.streams;

import java.util.List;
import java.util.Map;

/**
 * m3u-proxy's StreamStats shape ({@code stream_type} in its words: "HLS", "VOD", "Live Continuous",
 * "Transcoding"), plus Sluice's {@code kind} (its registration word), {@code sticky}, {@code silence_detection}
 * and {@code health} (the last media verdict per source URL, issue 15). m3u-proxy's {@code headers} is left
 * out: they carry provider credentials.
 */
public record StreamStats(String streamId, String originalUrl, String currentUrl, String userAgent, int clientCount,
                          long totalBytesServed, long totalSegmentsServed, long errorCount, boolean isActive,
                          boolean hasFailover, List<String> failoverUrls, String failoverResolverUrl,
                          int currentFailoverIndex, int failoverAttempts, String lastFailoverTime,
                          String streamType, String createdAt, String lastAccess, Map<String, String> metadata,
                          String kind, StickyStats sticky, SilenceDetection silenceDetection,
                          Map<String, SourceHealth> health) {
}
