package io.sluice.sources;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which URL a stream uses now (SPEC 9.1, 9.4): its ordered sources (primary, then failover URLs or what a
 * resolver named), the current one, and a sticky lock onto the backend a load balancer redirected to.
 */
public final class SourceState {
    /**
     * Sources a resolver may name in one recovery episode. A resolver that keeps naming failing URLs would
     * otherwise be walked for ever (8,000 failovers in six minutes, each an event and webhook deliveries).
     */
    static final int MAX_RESOLVED_PER_EPISODE = 10;
    /** Resolved URLs remembered beyond the registered ones; the oldest is forgotten past this. */
    static final int MAX_RESOLVED_KEPT = 16;

    private final List<String> sources = new ArrayList<>();
    private final int registered;
    private final boolean sticky;
    private final boolean hasResolver;
    private int index;
    private String lockedUrl;
    private Instant lockedAt;
    private int failoverAttempts;
    private Instant lastFailoverTime;
    /** Sources moved through in the current recovery episode (the list is walked once per episode). */
    private int walked;

    public SourceState(String primary, List<String> failovers, boolean sticky, boolean hasResolver) {
        sources.add(primary);
        sources.addAll(failovers);
        registered = sources.size();
        this.sticky = sticky;
        this.hasResolver = hasResolver;
    }

    /** A change of sources, as seen by stats and events. */
    public record Move(String oldUrl, String newUrl, int failoverIndex, int attempt) {
    }

    /** The URL to request now: the locked backend, else the current source. */
    public synchronized String requestUrl() {
        return lockedUrl != null ? lockedUrl : sources.get(index);
    }

    /** The current source as registered (a load balancer's entry URL, not the backend). */
    public synchronized String entryUrl() {
        return sources.get(index);
    }

    /** -1 for the primary, as m3u-proxy counts. */
    public synchronized int failoverIndex() {
        return index - 1;
    }

    public synchronized int failoverAttempts() {
        return failoverAttempts;
    }

    public synchronized Instant lastFailoverTime() {
        return lastFailoverTime;
    }

    public boolean stickyEnabled() {
        return sticky;
    }

    public synchronized boolean isLocked() {
        return lockedUrl != null;
    }

    public synchronized String lockedUrl() {
        return lockedUrl;
    }

    public synchronized Instant lockedAt() {
        return lockedAt;
    }

    public boolean hasFailover() {
        return hasResolver || sources.size() > 1;
    }

    /**
     * After a response reached through redirects: lock onto the final URL when sticky sessions are on, the
     * request went to the entry URL, and the backend is another URL. Returns true when a lock was made.
     */
    public synchronized boolean lockTo(URI requested, URI finalUri) {
        if (!sticky || lockedUrl != null || finalUri == null || finalUri.equals(requested)
                || !requested.toString().equals(sources.get(index))) {
            return false;
        }
        lockedUrl = finalUri.toString();
        lockedAt = Instant.now();
        return true;
    }

    /**
     * A lock kept in the store from before a restart (or made by another instance): taken only while the stream is
     * on the source it was made from.
     */
    public synchronized boolean restoreLock(String entryUrl, String backendUrl) {
        if (!sticky || lockedUrl != null || backendUrl == null || !sources.get(index).equals(entryUrl)) {
            return false;
        }
        lockedUrl = backendUrl;
        lockedAt = Instant.now();
        return true;
    }

    /** Drops the lock; returns the backend it pointed at, if any. */
    public synchronized Optional<String> unlock() {
        String old = lockedUrl;
        lockedUrl = null;
        lockedAt = null;
        return Optional.ofNullable(old);
    }

    /**
     * A stream registered again while it plays carries on where it is: on the same source when the new list has
     * it (else the primary), locked to the same backend while sticky sessions stay on, counters kept.
     */
    public void continueFrom(SourceState old) {
        String entry;
        String lock;
        Instant lockTime;
        int attempts;
        Instant lastFailover;
        synchronized (old) {
            entry = old.entryUrl();
            lock = old.lockedUrl;
            lockTime = old.lockedAt;
            attempts = old.failoverAttempts;
            lastFailover = old.lastFailoverTime;
        }
        synchronized (this) {
            int at = sources.indexOf(entry);
            index = Math.max(0, at);
            if (sticky && lock != null && at >= 0) {
                lockedUrl = lock;
                lockedAt = lockTime;
            }
            failoverAttempts = attempts;
            lastFailoverTime = lastFailover;
        }
    }

    public synchronized void startEpisode() {
        walked = 0;
    }

    /** True when an automatic failover may still find a source in this episode. */
    public synchronized boolean sourcesLeft(Predicate<String> invalid) {
        if (hasResolver) {
            return walked < MAX_RESOLVED_PER_EPISODE;
        }
        for (int k = 1; k < sources.size() - walked; k++) {
            if (!invalid.test(sources.get((index + k) % sources.size()))) {
                return true;
            }
        }
        return false;
    }

    /** The source an automatic failover would move to now, without moving (none with a resolver). */
    public synchronized Optional<String> nextFailoverUrl(Predicate<String> invalid) {
        if (hasResolver) {
            return Optional.empty();
        }
        for (int k = 1; k < sources.size() - walked; k++) {
            String candidate = sources.get((index + k) % sources.size());
            if (!invalid.test(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Automatic failover: the next source in the walk that is not marked invalid (wrapping to the primary,
     * each source once per episode).
     */
    public synchronized Optional<Move> failover(Predicate<String> invalid) {
        for (int k = 1; k < sources.size() - walked; k++) {
            int candidate = (index + k) % sources.size();
            if (!invalid.test(sources.get(candidate))) {
                walked += k;
                return Optional.of(moveTo(candidate));
            }
        }
        return Optional.empty();
    }

    /** Manual failover (SPEC 9.5): exactly the next source in the list, never skipping one, never wrapping. */
    public synchronized Optional<Move> manualFailover() {
        if (index + 1 >= sources.size()) {
            return Optional.empty();
        }
        return Optional.of(moveTo(index + 1));
    }

    /** A resolver named the next source: one step of this episode's walk. */
    public synchronized Move resolvedTo(String url) {
        walked++;
        int known = sources.indexOf(url);
        if (known >= 0) {
            return moveTo(known);
        }
        if (sources.size() - registered >= MAX_RESOLVED_KEPT) {
            int oldest = index == registered ? registered + 1 : registered; // never the current one
            sources.remove(oldest);
            if (index > oldest) {
                index--;
            }
        }
        sources.add(url);
        return moveTo(sources.size() - 1);
    }

    private Move moveTo(int newIndex) {
        String old = requestUrl();
        index = newIndex;
        lockedUrl = null;
        lockedAt = null;
        failoverAttempts++;
        lastFailoverTime = Instant.now();
        return new Move(old, sources.get(index), index - 1, failoverAttempts);
    }
}
