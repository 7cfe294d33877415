package io.sluice.store;

/** The store did not answer in time or refused: the change was not kept, and the caller must say so. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
