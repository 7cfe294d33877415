package io.sluice.events;

import java.time.Instant;
import java.util.Map;

public record ClientDisconnected(String streamId, String clientId, long bytesServed, long segmentsServed,
                                 Map<String, String> metadata, Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "client_disconnected";
    }
}
