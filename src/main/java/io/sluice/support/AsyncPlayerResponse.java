package io.sluice.support;

import io.sluice.web.ServletProblems;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * An asynchronous response to a player: whatever ends it (the player leaving, an error, a timeout, the
 * container completing it) ends in one {@link #finish()}, which subclasses make idempotent.
 */
public abstract class AsyncPlayerResponse implements WriteListener, AsyncListener {

    /** A JSON error answer waiting for the output to take it; guarded by the subclass's lock (this). */
    private byte[] errorBody;

    /** Prepares an error answer (status and {@code {"detail"}}), written when the output is ready. */
    protected final void prepareError(HttpServletResponse response, int status, String detail) {
        errorBody = ServletProblems.body(detail);
        ServletProblems.head(response, status, errorBody.length);
    }

    protected final boolean hasPendingError() {
        return errorBody != null;
    }

    /** Writes the prepared error if the output takes it now; true when it was written. */
    protected final boolean writePendingError(ServletOutputStream out) throws IOException {
        if (!out.isReady()) {
            return false;
        }
        out.write(errorBody);
        errorBody = null;
        return true;
    }

    /** Ends the response and releases what it holds; called at most once to effect. */
    protected abstract void finish();

    /** Completes {@code async}, unless the container already has (a player disconnect). */
    protected static void complete(AsyncContext async) {
        try {
            async.complete();
        } catch (IllegalStateException alreadyComplete) {
            // the container ended it first
        }
    }

    @Override
    public void onError(Throwable t) {
        finish();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        finish();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        finish();
    }

    @Override
    public void onError(AsyncEvent event) {
        finish();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // never re-dispatched
    }
}
