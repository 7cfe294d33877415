package io.sluice.store;

/** What the store keeps (SPEC 14): one keyed set of documents per kind of state. */
public enum Bucket {
    /** Registered streams by stream id. */
    STREAMS("streams"),
    /** Webhooks by URL. */
    WEBHOOKS("webhooks"),
    /** Sticky locks by stream id: the backend a stream's load balancer sent it to. */
    STICKY_LOCKS("sticky-locks"),
    /** Sources skipped by failover until their mark expires, by URL. */
    INVALID_SOURCES("invalid-sources"),
    /** When a stream or webhook was removed, by bucket and key: see {@link Tombstones}. */
    REMOVED("removed");

    private final String key;

    Bucket(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
