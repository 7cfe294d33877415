package io.sluice.events;

import java.time.Instant;

public record StreamStarted(String streamId, String url, String streamType, Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "stream_started";
    }
}
