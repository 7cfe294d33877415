package io.sluice.store;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The embedded default: state lives as long as this instance, and no other instance sees it. */
public final class MemoryStore implements Store {
    private final Map<Bucket, ConcurrentHashMap<String, String>> buckets = new EnumMap<>(Bucket.class);

    public MemoryStore() {
        for (Bucket b : Bucket.values()) {
            buckets.put(b, new ConcurrentHashMap<>());
        }
    }

    @Override
    public void put(Bucket bucket, String key, String document) {
        buckets.get(bucket).put(key, document);
    }

    @Override
    public void remove(Bucket bucket, String key) {
        buckets.get(bucket).remove(key);
    }

    @Override
    public boolean restore(Bucket bucket, String key, String document) {
        // Nothing is ever lost from memory and no one else removes: only "absent" matters.
        return buckets.get(bucket).putIfAbsent(key, document) == null;
    }

    @Override
    public Optional<String> get(Bucket bucket, String key) {
        return Optional.ofNullable(buckets.get(bucket).get(key));
    }

    @Override
    public Map<String, String> all(Bucket bucket) {
        return Map.copyOf(buckets.get(bucket));
    }

    @Override
    public boolean reachable() {
        return true;
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public void close() {
        // nothing held outside the heap
    }
}
