package io.sluice.broadcast;

import java.time.Instant;

/**
 * A change of a network broadcast, for metrics, logs and the console. Not a stream event: a broadcast has no
 * stream id and its own callback ({@code callback_url}) rather than the webhooks.
 */
public sealed interface BroadcastEvent {
    String networkId();

    Instant at();

    /** The lowercase name, as m3u-proxy's callback names the ends: {@code programme_ended}, {@code broadcast_failed}. */
    String type();

    record Started(String networkId, long firstSegmentNumber, boolean replaced, Instant at) implements BroadcastEvent {
        @Override
        public String type() {
            return "broadcast_started";
        }
    }

    record ProgrammeEnded(String networkId, long finalSegmentNumber, double secondsStreamed, Instant at)
            implements BroadcastEvent {
        @Override
        public String type() {
            return "programme_ended";
        }
    }

    record Failed(String networkId, int exitCode, String error, Instant at) implements BroadcastEvent {
        @Override
        public String type() {
            return "broadcast_failed";
        }
    }
}
