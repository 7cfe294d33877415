package io.sluice.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stream begins a period of use: registered (or registered again after it ended), or a player came back to a
 * stream whose last period had ended. {@code reason}: {@code registered} or {@code player}.
 */
public record StreamStarted(String streamId, String url, List<String> failoverUrls, String userAgent, String streamType,
                            String reason, Map<String, String> metadata, Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "stream_started";
    }
}
