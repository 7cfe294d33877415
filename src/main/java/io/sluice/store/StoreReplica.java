package io.sluice.store;

/**
 * State an instance holds in memory that the store is the truth for: when other instances share the store, the
 * instance brings its copy in line every {@code STORE_SYNC_INTERVAL}.
 */
public interface StoreReplica {
    /**
     * Takes in what other instances added, changed or removed. {@code snapshotStartNanos} is the
     * {@link System#nanoTime()} before the store was read: an entry this instance wrote after it may be missing
     * from what was read, and must not be taken for removed.
     */
    void refresh(Store store, long snapshotStartNanos);
}
