package io.sluice.events;

import java.time.Instant;

public record SourceMarkedInvalid(String streamId, String url, int statusCode, Instant until, Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "source_marked_invalid";
    }
}
