package io.sluice.store;

import java.time.Duration;
import java.util.Map;

/**
 * Marks of removal. An entry missing from a shared store means one of two things: another instance removed it,
 * or Redis lost its data (a restart without persistence). Only the first may stop a stream everywhere; in the
 * second case the instances that still hold the entry write it back. A removal therefore leaves a mark first,
 * kept for {@link #KEPT}; an instance cut off from the store for longer may bring a removed entry back.
 */
public final class Tombstones {
    public static final Duration KEPT = Duration.ofHours(1);

    private Tombstones() {
    }

    /** Marks the removal; call before removing the entry, so the entry is never missing without its mark. */
    public static void mark(Store store, Bucket bucket, String key) {
        if (store.shared()) { // alone, an instance has no one to tell, and nothing would prune the marks
            store.put(Bucket.REMOVED, key(bucket, key), Long.toString(System.currentTimeMillis()));
        }
    }

    static String key(Bucket bucket, String key) {
        return bucket.key() + ":" + key;
    }

    /** A new registration under the key: the old removal no longer applies. */
    public static void clear(Store store, Bucket bucket, String key) {
        if (store.shared()) {
            store.remove(Bucket.REMOVED, key(bucket, key));
        }
    }

    /** Whether {@code key} was removed, given all marks as read by {@link Store#all(Bucket)}. */
    public static boolean removed(Map<String, String> marks, Bucket bucket, String key) {
        return marks.containsKey(key(bucket, key));
    }

    /** Forgets marks older than {@link #KEPT}. */
    public static void prune(Store store, Map<String, String> marks) {
        long oldest = System.currentTimeMillis() - KEPT.toMillis();
        marks.forEach((key, millis) -> {
            try {
                if (Long.parseLong(millis) < oldest) {
                    store.remove(Bucket.REMOVED, key);
                }
            } catch (NumberFormatException e) {
                store.remove(Bucket.REMOVED, key);
            }
        });
    }
}
