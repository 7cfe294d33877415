package io.sluice.streams;

import java.util.List;
import java.util.Map;

/** m3u-proxy's StreamStats shape, plus {@code sticky}. */
public record StreamStats(String streamId, String originalUrl, String currentUrl, String userAgent, int clientCount,
                          long totalBytesServed, long totalSegmentsServed, long errorCount, boolean isActive,
                          boolean hasFailover, List<String> failoverUrls, String failoverResolverUrl,
                          int currentFailoverIndex, int failoverAttempts, String lastFailoverTime,
                          String streamType, String createdAt, String lastAccess, Map<String, String> metadata,
                          StickyStats sticky) {
}
