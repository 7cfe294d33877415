package io.sluice.streams;

import io.sluice.events.FailoverTriggered;
import io.sluice.events.StickySessionLocked;
import io.sluice.events.StickySessionReverted;
import io.sluice.store.Bucket;
import io.sluice.store.Documents;
import io.sluice.store.StoreWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Keeps each stream's sticky lock in the store, so that after a restart (or on another instance) the stream goes
 * straight back to the backend its load balancer chose. Written in the background, in firing order.
 */
@ApplicationScoped
public class StickyLocks {
    @Inject
    StoreWriter writer;

    /** The entry URL the lock was made from, and the backend it points at. */
    public record StoredLock(String entryUrl, String lockedUrl) {
    }

    void locked(@Observes StickySessionLocked e) {
        String doc = Documents.write(new StoredLock(e.entryUrl(), e.lockedUrl()));
        writer.later(store -> store.put(Bucket.STICKY_LOCKS, e.streamId(), doc));
    }

    void reverted(@Observes StickySessionReverted e) {
        forget(e.streamId());
    }

    void failedOver(@Observes FailoverTriggered e) {
        forget(e.streamId());
    }

    void removed(@Observes StreamRemoved e) {
        forget(e.streamId());
    }

    private void forget(String streamId) {
        writer.later(store -> store.remove(Bucket.STICKY_LOCKS, streamId));
    }
}
