package io.sluice.streams;

import io.sluice.events.Events;
import io.sluice.events.StreamStarted;
import io.sluice.events.StreamStopped;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Every registered stream, by id. Registration is atomic per id: concurrent identical requests make one stream. */
@ApplicationScoped
public class StreamRegistry {
    @Inject
    Events events;

    private final ConcurrentHashMap<String, Stream> streams = new ConcurrentHashMap<>();
    /** Bytes served to players since start, including streams since removed. */
    private final java.util.concurrent.atomic.LongAdder bytesServed = new java.util.concurrent.atomic.LongAdder();

    public long bytesServedTotal() {
        return bytesServed.sum();
    }

    public Stream register(StreamSpec spec) {
        boolean[] created = {false};
        Stream stream = streams.compute(spec.id(), (id, old) -> {
            if (old == null) {
                created[0] = true;
                return new Stream(spec, bytesServed);
            }
            // A running stream keeps its sources for its players; only its labels change.
            if (old.clientCount() > 0) {
                old.replaceMetadata(spec.metadata());
            } else {
                old.replaceSpec(spec);
            }
            return old;
        });
        if (created[0]) {
            events.fire(new StreamStarted(stream.id(), spec.url(), spec.kind().apiName(), Instant.now()));
        }
        return stream;
    }

    public Optional<Stream> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(streams.get(id));
    }

    public Collection<Stream> all() {
        return streams.values();
    }

    /** Every stream, oldest registration first: the order lists and "oldest" limits use. */
    public List<Stream> oldestFirst() {
        return streams.values().stream().sorted(Comparator.comparing(Stream::createdAt)).toList();
    }

    /** Removes the stream; its relays observe the event and close their players and upstreams. */
    public boolean stop(String id, String reason) {
        Stream removed = streams.remove(id);
        if (removed == null) {
            return false;
        }
        events.fire(new StreamStopped(id, reason, Instant.now()));
        return true;
    }
}
