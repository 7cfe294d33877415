package io.sluice.hls;

/**
 * When a live playlist's numbered segments came out, as far as its polls tell: at each poll its newest segment
 * was out already and the next was not, so that segment came out at most one duration before the poll. Polls at
 * different moments narrow the bounds; bounds that no longer meet (a stream that drifted or renumbered) start
 * over from the latest poll. Pure; the caller serialises.
 */
final class EdgeClock {
    private long anchor;
    private long earliest;
    private long latest;
    private boolean known;

    /** At {@code atMillis}, {@code edge} was the newest segment; segments last about {@code durationMillis}. */
    void observe(long edge, long atMillis, long durationMillis) {
        long from = atMillis - durationMillis;
        if (known) {
            long shift = (edge - anchor) * durationMillis;
            long a = Math.max(earliest + shift, from);
            long b = Math.min(latest + shift, atMillis);
            if (a <= b) {
                anchor = edge;
                earliest = a;
                latest = b;
                return;
            }
        }
        anchor = edge;
        earliest = from;
        latest = atMillis;
        known = true;
    }

    boolean known() {
        return known;
    }

    /** The earliest moment segment {@code seq} can have come out. */
    long earliest(long seq, long durationMillis) {
        return earliest + (seq - anchor) * durationMillis;
    }

    /** The latest moment segment {@code seq} can have come out. */
    long latest(long seq, long durationMillis) {
        return latest + (seq - anchor) * durationMillis;
    }
}
