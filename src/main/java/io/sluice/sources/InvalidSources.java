package io.sluice.sources;

import io.sluice.config.Settings;
import io.sluice.events.Events;
import io.sluice.events.SourceMarkedInvalid;
import io.sluice.store.Bucket;
import io.sluice.store.Documents;
import io.sluice.store.Store;
import io.sluice.store.StoreReplica;
import io.sluice.store.StoreWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fail conditions (SPEC 9.7): a source that answered one of {@code FAIL_CONDITION_STATUSES} is skipped by
 * failover for {@code INVALID_SOURCE_MINUTES}. Marks are kept in the store, so instances sharing it skip the same
 * sources.
 */
@ApplicationScoped
public class InvalidSources implements StoreReplica {
    @Inject
    Settings settings;
    @Inject
    Events events;
    @Inject
    Store store;
    @Inject
    StoreWriter writer;

    private final ConcurrentHashMap<String, Mark> marks = new ConcurrentHashMap<>();

    /** Why and until when a source is skipped. */
    public record Mark(String url, int statusCode, String streamId, Instant markedAt, Instant until) {
    }

    /** Marks {@code url} when {@code status} is a fail condition; returns true when it did. */
    public boolean markIfFailCondition(String streamId, Map<String, String> metadata, String url, int status) {
        if (!settings.failConditionStatuses().contains(status) || settings.invalidSourceDuration().isZero()) {
            return false;
        }
        Instant now = Instant.now();
        if (marks.size() > 1000) {
            marks.values().removeIf(old -> old.until().isBefore(now)); // expired marks do not pile up
        }
        Mark m = new Mark(url, status, streamId, now, now.plus(settings.invalidSourceDuration()));
        marks.put(url, m);
        if (store.shared()) { // in memory, this map is the store: a second copy would only never expire
            String doc = Documents.write(m);
            writer.later(st -> st.put(Bucket.INVALID_SOURCES, url, doc));
        }
        events.fire(new SourceMarkedInvalid(streamId, url, status, m.until(), metadata, now));
        return true;
    }

    public boolean isInvalid(String url) {
        Mark m = marks.get(url);
        if (m == null) {
            return false;
        }
        if (m.until().isBefore(Instant.now())) {
            marks.remove(url, m);
            return false;
        }
        return true;
    }

    public Map<String, Mark> current() {
        Map<String, Mark> out = new TreeMap<>();
        marks.forEach((url, m) -> {
            if (isInvalid(url)) {
                out.put(url, m);
            }
        });
        return out;
    }

    /** Forgets every mark, here and in the store; throws when the store cannot forget them (nothing changes). */
    public int clear() {
        for (String url : store.all(Bucket.INVALID_SOURCES).keySet()) {
            store.remove(Bucket.INVALID_SOURCES, url);
        }
        int n = marks.size();
        marks.clear();
        return n;
    }

    /** Takes in marks other instances made; drops expired ones from the store. */
    @Override
    public void refresh(Store from, long snapshotStart) {
        Instant now = Instant.now();
        from.all(Bucket.INVALID_SOURCES).forEach((url, doc) -> Documents.read(doc, Mark.class).ifPresent(m -> {
            if (m.until() == null || m.until().isBefore(now)) {
                from.remove(Bucket.INVALID_SOURCES, url);
            } else {
                marks.merge(url, m, (mine, theirs) -> mine.until().isAfter(theirs.until()) ? mine : theirs);
            }
        }));
    }
}
