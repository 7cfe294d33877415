package io.sluice.events;

import java.time.Instant;
import java.util.Map;

/** Once per player session, not per connection or segment; {@code streamClientCount} counts it. */
public record ClientConnected(String streamId, String clientId, String ipAddress, String userAgent, String username,
                              int streamClientCount, Map<String, String> metadata, Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "client_connected";
    }
}
