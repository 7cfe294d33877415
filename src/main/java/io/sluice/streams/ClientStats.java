package io.sluice.streams;

/** m3u-proxy's ClientStats shape. */
public record ClientStats(String clientId, String streamId, String userAgent, String ipAddress, String username,
                          long bytesServed, long segmentsServed, String createdAt, String lastAccess,
                          boolean isConnected) {
}
