package io.sluice.streams;

/** m3u-proxy's answer to {@code POST /streams/{id}/failover}. */
public record FailoverResult(String message, String newUrl, int failoverIndex, int failoverAttempts,
                             int activeClients, String streamType) {
}
