package io.sluice.sources;

import io.sluice.config.Settings;
import io.sluice.events.Events;
import io.sluice.events.SourceMarkedInvalid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fail conditions (SPEC 9.7): a source that answered one of {@code FAIL_CONDITION_STATUSES} is skipped by
 * failover for {@code INVALID_SOURCE_MINUTES}.
 */
@ApplicationScoped
public class InvalidSources {
    @Inject
    Settings settings;
    @Inject
    Events events;

    private final ConcurrentHashMap<String, Mark> marks = new ConcurrentHashMap<>();

    /** Why and until when a source is skipped. */
    public record Mark(String url, int statusCode, String streamId, Instant markedAt, Instant until) {
    }

    /** Marks {@code url} when {@code status} is a fail condition; returns true when it did. */
    public boolean markIfFailCondition(String streamId, String url, int status) {
        if (!settings.failConditionStatuses().contains(status) || settings.invalidSourceDuration().isZero()) {
            return false;
        }
        Instant now = Instant.now();
        if (marks.size() > 1000) {
            marks.values().removeIf(old -> old.until().isBefore(now)); // expired marks do not pile up
        }
        Mark m = new Mark(url, status, streamId, now, now.plus(settings.invalidSourceDuration()));
        marks.put(url, m);
        events.fire(new SourceMarkedInvalid(streamId, url, status, m.until(), now));
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

    public int clear() {
        int n = marks.size();
        marks.clear();
        return n;
    }
}
