package io.sluice.events;

import java.time.Instant;

public record FailoverTriggered(String streamId, String oldUrl, String newUrl, int failoverIndex, int attemptNumber, String reason, int clientCount, boolean manual, Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "failover_triggered";
    }
}
