package io.sluice.support;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.WriteListener;

/**
 * An asynchronous response to a player: whatever ends it (the player leaving, an error, a timeout, the
 * container completing it) ends in one {@link #finish()}, which subclasses make idempotent.
 */
public abstract class AsyncPlayerResponse implements WriteListener, AsyncListener {

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
