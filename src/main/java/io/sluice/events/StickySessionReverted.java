package io.sluice.events;

import java.time.Instant;

public record StickySessionReverted(String streamId, String lockedUrl, String entryUrl, String reason, Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "sticky_session_reverted";
    }
}
