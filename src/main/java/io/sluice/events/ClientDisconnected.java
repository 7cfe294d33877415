package io.sluice.events;

import java.time.Instant;

public record ClientDisconnected(String streamId, String clientId, long bytesServed, Instant at)
        implements SluiceEvent {
    @Override
    public String type() {
        return "client_disconnected";
    }
}
