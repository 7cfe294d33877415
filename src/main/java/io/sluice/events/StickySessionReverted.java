package io.sluice.events;

import java.time.Instant;
import java.util.Map;

public record StickySessionReverted(String streamId, String lockedUrl, String entryUrl, String reason,
                                    Map<String, String> metadata, Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "sticky_session_reverted";
    }
}
