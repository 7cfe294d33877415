package io.sluice.events;

import java.time.Instant;
import java.util.Map;

public record SourceMarkedInvalid(String streamId, String url, int statusCode, Instant until, Map<String, String> metadata,
                                  Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "source_marked_invalid";
    }
}
