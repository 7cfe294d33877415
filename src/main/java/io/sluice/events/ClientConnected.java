package io.sluice.events;

import java.time.Instant;

/** Once per player session, not per connection or segment. */
public record ClientConnected(String streamId, String clientId, String ipAddress, String userAgent, String username,
                              Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "client_connected";
    }
}
