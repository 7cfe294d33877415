package io.sluice.events;

import java.time.Instant;
import java.util.Map;

public record StickySessionLocked(String streamId, String entryUrl, String lockedUrl, Map<String, String> metadata,
                                  Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "sticky_session_locked";
    }
}
