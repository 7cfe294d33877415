package io.sluice.events;

import java.time.Instant;
import java.util.Map;

/**
 * A stream's period of use ended, once per period however it ended (M3U Editor releases a provider connection on
 * it): deleted, stopped by a metadata filter or as the oldest, removed through another instance, idle for
 * {@code STREAM_TIMEOUT}, or failed with no player left. {@code reason} uses m3u-proxy's words where it has them.
 */
public record StreamStopped(String streamId, String reason, String filterField, String filterValue,
                            boolean wasTranscoded, long ageSeconds, Map<String, String> metadata, Instant at)
        implements SluiceEvent {
    @Override
    public String type() {
        return "stream_stopped";
    }
}
