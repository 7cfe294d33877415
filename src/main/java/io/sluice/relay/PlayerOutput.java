package io.sluice.relay;

import java.io.IOException;

/**
 * A player's response as a {@link ClientTap} sees it: a head, non-blocking writes, an end. The container's
 * side is {@link ServletPlayerOutput}; tests give taps an output of their own.
 */
interface PlayerOutput {
    /** Status 200 with the live stream's headers; before the first write. */
    void beginStream(String contentType);

    /** An error answer's head ({@code location} for a redirect, else null); its body is written as usual. */
    void beginError(int status, int bodyLength, String location);

    /**
     * True when a write would not block. When false, the output calls its tap's {@link ClientTap#writePossible}
     * once the write has gone out.
     */
    boolean isReady() throws IOException;

    /** The largest write this output sends on at once without leaving work to the container. */
    int maxWrite();

    /** Called only right after {@link #isReady()} answered true, with at most {@link #maxWrite()} bytes. */
    void write(byte[] b, int off, int len) throws IOException;

    /** Ends the response (idempotent; the player may have ended it first). */
    void complete();
}
