package io.sluice.events;

import java.time.Duration;

/**
 * A timing observed on a streaming path, for metrics only (not a state change, so never a webhook):
 * {@code FIRST_BYTE} from a player's request to its first byte, {@code STALL} from an upstream failure to the
 * first byte of the recovered upstream.
 */
public record Measured(Kind kind, Duration duration) {
    public enum Kind { FIRST_BYTE, STALL }
}
