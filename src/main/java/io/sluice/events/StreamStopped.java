package io.sluice.events;

import java.time.Instant;

/** A stream was stopped; {@code reason} uses m3u-proxy's words where it has them. */
public record StreamStopped(String streamId, String reason, Instant at) implements SluiceEvent {
    @Override
    public String type() {
        return "stream_stopped";
    }
}
