package io.sluice.events;

import java.time.Instant;
import java.util.Map;

/** A state change of a stream; observed by the relay, the log, and later webhooks and metrics. */
public sealed interface SluiceEvent permits StreamStarted, StreamStopped, ClientConnected, ClientDisconnected,
        FailoverTriggered, StickySessionLocked, StickySessionReverted, SourceMarkedInvalid, StreamFailed {
    String streamId();

    Instant at();

    /** The lowercase name webhooks use, e.g. {@code client_connected}. */
    String type();

    /** The stream's metadata when the event happened: every webhook carries it (SPEC 16). */
    Map<String, String> metadata();
}
