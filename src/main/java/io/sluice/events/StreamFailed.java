package io.sluice.events;

import java.time.Instant;

public record StreamFailed(String streamId, String lastUrl, String reason, int clientCount, Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "stream_failed";
    }
}
