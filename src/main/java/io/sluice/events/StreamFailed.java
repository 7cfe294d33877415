package io.sluice.events;

import java.time.Instant;
import java.util.Map;

public record StreamFailed(String streamId, String lastUrl, String reason, int clientCount, Map<String, String> metadata,
                           Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "stream_failed";
    }
}
