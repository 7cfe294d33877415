package io.sluice.store;

import java.util.Map;
import java.util.Optional;

/**
 * Durable state shared by every Sluice instance that uses the same store: documents (JSON text) by key, per
 * {@link Bucket}. The store knows nothing of what the documents mean. Every call is bounded by
 * {@code STORE_TIMEOUT} and throws {@link StoreUnavailableException} when the store cannot answer.
 */
public interface Store extends AutoCloseable {
    void put(Bucket bucket, String key, String document);

    void remove(Bucket bucket, String key);

    /**
     * Writes back an entry the store lost, in one step: only while the key is absent and no removal of it is
     * marked (see {@link Tombstones}), so a removal or a new registration racing with the write-back wins.
     * Returns true when it wrote.
     */
    boolean restore(Bucket bucket, String key, String document);

    Optional<String> get(Bucket bucket, String key);

    Map<String, String> all(Bucket bucket);

    /** Whether the store answers now; never throws. */
    boolean reachable();

    /** True when other instances may change this store, so each instance must look for their changes. */
    boolean shared();

    @Override
    void close();
}
