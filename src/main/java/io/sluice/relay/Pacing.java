package io.sluice.relay;

/**
 * The relay's pacing and skip policy (SPEC 6) as pure arithmetic over ring offsets: how much the upstream may
 * send, where a new player starts, when a player counts for the pacing, and where a laggard is moved to.
 */
final class Pacing {
    private Pacing() {
    }

    /** Headroom kept for bytes HttpCore delivers beyond the granted window. */
    static long slack(int capacity) {
        return Math.min(256 * 1024, capacity / 4);
    }

    /** Bytes the upstream may send now: the ring's room behind the oldest player that holds it back. */
    static long room(int capacity, long head, long oldestHolding) {
        return Math.max(0, capacity - slack(capacity) - (head - oldestHolding));
    }

    /** A new player starts half a ring behind the live edge (a burst that fills its buffer fast), not before
     * the connection's first byte. */
    static long joinPosition(long connectionStart, long tail, long head, int capacity) {
        return Math.max(connectionStart, Math.max(tail, head - capacity / 2));
    }

    /**
     * A player holds the upstream back only while it is writing: one whose writes have been refused for longer
     * than the grace does not, so a stalled player never slows the others for longer than that.
     */
    static boolean holdsUpstream(boolean reading, long blockedSinceNanos, long nowNanos, long graceNanos) {
        return reading && (blockedSinceNanos == 0 || nowNanos - blockedSinceNanos <= graceNanos);
    }

    /** Offsets an append of {@code incoming} bytes overwrites, as the first offset still kept after it. */
    static long firstKeptAfter(long head, int incoming, int capacity) {
        return head + incoming - capacity;
    }

    /** Where a player the ring overwrites goes: half a ring behind the new live edge, and never into lost bytes. */
    static long skipTarget(long head, int incoming, int capacity) {
        long newHead = head + incoming;
        return Math.max(newHead - capacity, newHead - capacity / 2);
    }
}
