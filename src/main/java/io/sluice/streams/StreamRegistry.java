package io.sluice.streams;

import io.sluice.events.Events;
import io.sluice.events.StreamStarted;
import io.sluice.events.StopCause;
import io.sluice.events.StreamStopped;
import io.sluice.store.Bucket;
import io.sluice.store.Documents;
import io.sluice.store.RecentRemovals;
import io.sluice.store.Store;
import io.sluice.store.StoreReplica;
import io.sluice.store.StoreUnavailableException;
import io.sluice.store.Tombstones;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Every registered stream, by id. Registration is atomic per id: concurrent identical requests make one stream.
 * The store keeps what was registered (SPEC 14): a change answers only once the store has it, and with a shared
 * store this instance takes in what other instances registered or removed.
 */
@ApplicationScoped
public class StreamRegistry implements StoreReplica {
    private static final Pattern STREAM_ID = Pattern.compile("[0-9a-f]{32}");

    @Inject
    Events events;
    @Inject
    Store store;
    @Inject
    Event<StreamRemoved> removals;

    private final ConcurrentHashMap<String, Stream> streams = new ConcurrentHashMap<>();
    /** Streams stopped here since the last sync pass began. */
    private final RecentRemovals stopped = new RecentRemovals();
    /** Bytes served to players since start, including streams since removed. */
    private final LongAdder bytesServed = new LongAdder();

    /** What the store keeps of a stream. */
    public record StoredStream(StreamSpec spec, Instant createdAt) {
    }

    public long bytesServedTotal() {
        return bytesServed.sum();
    }

    /** Registers or updates; throws {@link StoreUnavailableException} (and changes nothing new) when the store cannot keep it. */
    public Stream register(StreamSpec spec) {
        return registerSaying(spec).stream();
    }

    /** A registration's stream and what happened, in words for the one who registered it. */
    public record Registration(Stream stream, boolean created, String message) {
    }

    /** As {@link #register}, and says whether the stream was created or updated, and what a running one kept. */
    public Registration registerSaying(StreamSpec spec) {
        boolean[] created = {false};
        String[] message = {"Stream created successfully"};
        Stream stream = streams.compute(spec.id(), (id, old) -> {
            if (old == null) {
                created[0] = true;
                return new Stream(spec, Instant.now(), bytesServed);
            }
            old.writing();
            message[0] = update(old, spec);
            return old;
        });
        try {
            Tombstones.clear(store, Bucket.STREAMS, stream.id());
            keep(stream);
        } catch (StoreUnavailableException e) {
            if (created[0]) {
                streams.remove(stream.id(), stream);
            } else {
                stream.stored(System.nanoTime()); // it was stored before this attempt
            }
            throw e;
        }
        if (stream.beginPeriod()) {
            started(stream, "registered");
        }
        return new Registration(stream, created[0], message[0]);
    }

    private void keep(Stream stream) {
        store.put(Bucket.STREAMS, stream.id(), document(stream));
        stream.stored(System.nanoTime());
    }

    private static String document(Stream stream) {
        return Documents.write(new StoredStream(stream.spec(), stream.createdAt()));
    }

    /**
     * An idle stream takes the new registration whole. A playing one takes it without dropping its players:
     * sources, sticky sessions, resolver, headers apply from the current source on; what would need a new relay
     * is kept, and the answer says so.
     */
    private static String update(Stream old, StreamSpec spec) {
        int players = old.clientCount();
        if (players == 0) {
            old.replaceSpec(spec);
            return "Stream updated";
        }
        java.util.List<String> kept = old.replaceSpecWhilePlaying(spec);
        String applied = "Stream updated; its " + players + " player(s) stay connected and the new settings apply "
                + "from its next upstream request";
        return kept.isEmpty() ? applied : applied + "; kept while players are attached (they shape the running relay): "
                + String.join(", ", kept);
    }

    void started(Stream stream, String reason) {
        StreamSpec spec = stream.spec();
        events.fire(new StreamStarted(stream.id(), spec.url(), spec.failoverUrls(), spec.userAgent(),
                spec.kind().apiName(), reason, spec.metadata(), Instant.now()));
    }

    /** Ends the stream's period of use, announcing it once however many ways it ends at the same moment. */
    void ended(Stream stream, StopCause cause) {
        if (stream.endPeriod()) {
            events.fire(new StreamStopped(stream.id(), cause.reason(), cause.filterField(), cause.filterValue(),
                    stream.spec().transcode() != null,
                    Duration.between(stream.createdAt(), Instant.now()).toSeconds(), stream.spec().metadata(),
                    Instant.now()));
        }
    }

    /** The stream if this instance holds it; never asks the store (cheap enough for a streaming thread). */
    public Optional<Stream> local(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(streams.get(id));
    }

    /** The stream, also when another instance sharing the store registered it a moment ago. */
    public Optional<Stream> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Stream local = streams.get(id);
        if (local != null || !store.shared() || !STREAM_ID.matcher(id).matches()) {
            return Optional.ofNullable(local);
        }
        long before = System.nanoTime();
        try {
            return store.get(Bucket.STREAMS, id).flatMap(doc -> takeIn(id, doc, before));
        } catch (StoreUnavailableException e) {
            return Optional.empty(); // as unknown: the player gets a 404 rather than a wait
        }
    }

    public Collection<Stream> all() {
        return streams.values();
    }

    /** Every stream, oldest registration first: the order lists and "oldest" limits use. */
    public List<Stream> oldestFirst() {
        return streams.values().stream().sorted(Comparator.comparing(Stream::createdAt)).toList();
    }

    /**
     * Removes the stream; its relays observe the event and close their players and upstreams. Throws
     * {@link StoreUnavailableException}, leaving the stream running, when the store cannot forget it.
     */
    public boolean stop(String id, StopCause cause) {
        // Also a stream another instance registered a moment ago, which this one has not taken in yet.
        Stream s = find(id).orElse(null);
        if (s == null) {
            return false;
        }
        if (store.shared()) {
            stopped.removing(id); // before the store forgets it: a pass under way must not bring it back
        }
        Tombstones.mark(store, Bucket.STREAMS, id);
        store.remove(Bucket.STREAMS, id);
        if (!streams.remove(id, s)) {
            return false;
        }
        removed(s, cause);
        return true;
    }

    @Override
    public void refresh(Store from, long snapshotStart) {
        Map<String, String> stored = from.all(Bucket.STREAMS);
        stored.forEach((id, doc) -> {
            try {
                Stream local = streams.get(id);
                if (local == null) {
                    takeIn(id, doc, snapshotStart);
                } else if (local.storedBefore(snapshotStart)) {
                    Documents.read(doc, StoredStream.class).filter(StreamRegistry::complete).ifPresent(s -> {
                        if (!s.spec().withKind(local.spec().kind()).equals(local.spec())) {
                            update(local, s.spec()); // changed through another instance
                        }
                    });
                }
            } catch (StoreUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                // One strange entry must not stop the pass for every other stream.
                java.util.logging.Logger.getLogger(StreamRegistry.class.getName())
                        .warning(() -> "Skipping stored stream " + id + ": " + e);
            }
        });
        Map<String, String> removed = from.all(Bucket.REMOVED); // read after the streams: see Tombstones
        for (Stream local : streams.values()) {
            if (stored.containsKey(local.id()) || !local.storedBefore(snapshotStart)) {
                continue;
            }
            if (!Tombstones.removed(removed, Bucket.STREAMS, local.id())) {
                // The store lost it (Redis restarted empty) and this instance still knows it; a removal or a new
                // registration since the read wins over this write-back.
                from.restore(Bucket.STREAMS, local.id(), document(local));
            } else if (streams.remove(local.id(), local)) {
                removed(local, StopCause.of(StopCause.REMOVED_ELSEWHERE));
            }
        }
        stopped.passRead(snapshotStart);
    }

    private void removed(Stream s, StopCause cause) {
        removals.fire(new StreamRemoved(s.id()));
        ended(s, cause);
    }

    private static boolean complete(StoredStream s) {
        return s.spec() != null && s.spec().url() != null && s.spec().kind() != null;
    }

    /**
     * A stream another instance registered (or this one before a restart) starts living here; no event, it is not
     * new. {@code readAt} is when the document was read: a stop here after it wins.
     */
    private Optional<Stream> takeIn(String id, String doc, long readAt) {
        if (stopped.since(id, readAt)) {
            return Optional.empty();
        }
        return Documents.read(doc, StoredStream.class)
                .filter(s -> complete(s) && s.spec().id().equals(id))
                .map(s -> {
                    Stream existing = streams.get(id);
                    if (existing != null) {
                        return existing;
                    }
                    Stream fresh = new Stream(s.spec(), s.createdAt() != null ? s.createdAt() : Instant.now(), bytesServed);
                    fresh.stored(readAt);
                    restoreStickyLock(fresh);
                    Stream raced = streams.putIfAbsent(id, fresh);
                    return raced != null ? raced : fresh;
                });
    }

    private void restoreStickyLock(Stream stream) {
        if (!stream.spec().useStickySession()) {
            return;
        }
        try {
            store.get(Bucket.STICKY_LOCKS, stream.id())
                    .flatMap(doc -> Documents.read(doc, StickyLocks.StoredLock.class))
                    .ifPresent(lock -> stream.sources().restoreLock(lock.entryUrl(), lock.lockedUrl()));
        } catch (StoreUnavailableException e) {
            // The lock is found again at the next redirect.
        }
    }
}
