package io.sluice.events;

import java.time.Instant;
import java.util.Map;

public record FailoverTriggered(String streamId, String oldUrl, String newUrl, int failoverIndex, int attemptNumber,
                                String reason, int clientCount, boolean manual, Map<String, String> metadata,
                                Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "failover_triggered";
    }
}
