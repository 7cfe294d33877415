package io.sluice.store;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys a replica removed itself since a sync pass began reading. A pass that read such a key before the store
 * forgot it must not bring it back; once a pass that began later has read, the store's own answer is enough.
 * Only for a shared store: nothing else runs the passes that prune these marks.
 */
public final class RecentRemovals {
    private final ConcurrentHashMap<String, Long> removedAt = new ConcurrentHashMap<>();

    /** Call before the store forgets the key. */
    public void removing(String key) {
        removedAt.put(key, System.nanoTime());
    }

    /** True when this instance removed {@code key} after a read that began at {@code nanos}. */
    public boolean since(String key, long nanos) {
        Long at = removedAt.get(key);
        return at != null && at - nanos > 0;
    }

    /** A pass that began at {@code nanos} has read: removals before it are in every later read. */
    public void passRead(long nanos) {
        removedAt.values().removeIf(at -> at - nanos < 0);
    }
}
