package io.sluice.events;

import java.time.Instant;

public record StickySessionLocked(String streamId, String entryUrl, String lockedUrl, Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "sticky_session_locked";
    }
}
