package io.sluice.upstream;

/**
 * Where a live relay's bytes come from, seen from the relay: an HTTP exchange or a transcoder process. Either
 * feeds a {@link BodySink}, stops delivering while the sink has no room, and is told to go on or to stop.
 */
public interface Feed {
    /** True while the feed waits for room in its sink. */
    boolean isPaused();

    /** The sink may have room again. */
    void resume();

    /** Stops delivering and lets go of the source; no sink callback follows. */
    void stop();
}
