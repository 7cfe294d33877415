package io.sluice.streams;

import io.sluice.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata routes an IPTV editor enforces its limits with (SPEC 3.2, 11), as m3u-proxy behaves: find,
 * count and stop streams by a metadata field.
 */
@ApplicationScoped
public class MetadataQueries {
    /** Reasons written into {@code stream_stopped}. */
    public static final String REASON_BULK = "metadata_bulk_delete";
    public static final String REASON_OLDEST = "oldest_stream_limit";

    @Inject
    StreamRegistry registry;

    public record Skipped(String streamId, String reason) {
    }

    public record BulkStop(List<String> deletedStreams, int deletedCount, List<Skipped> skippedStreams) {
    }

    public List<Stream> matching(String field, String value, boolean activeOnly) {
        require("field", field);
        require("value", value);
        return registry.oldestFirst().stream()
                .filter(s -> value.equals(s.spec().metadata().get(field)))
                .filter(s -> !activeOnly || s.clientCount() > 0)
                .toList();
    }

    public Map<String, Integer> counts(String field, String values, boolean activeOnly) {
        require("field", field);
        require("values", values);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String v : values.split(",")) {
            String value = v.trim();
            if (!value.isEmpty()) {
                counts.put(value, matching(field, value, activeOnly).size());
            }
        }
        return counts;
    }

    /**
     * Stops the matching streams. Without {@code force}, a stream that other players still watch is kept
     * ({@code has_active_clients}); the requester's own session ({@code clientId}) does not count as another.
     */
    public BulkStop stop(String field, String value, String excludeChannelId, boolean force, String clientId) {
        if (clientId != null && clientId.length() > PlayerIdentity.MAX_CLIENT_ID) {
            throw ApiException.badInput("client_id must be at most " + PlayerIdentity.MAX_CLIENT_ID + " characters");
        }
        List<String> deleted = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Stream s : matching(field, value, false)) {
            if (excludeChannelId != null && excludeChannelId.equals(s.spec().metadata().get("channel_id"))) {
                skipped.add(new Skipped(s.id(), "excluded_channel"));
                continue;
            }
            if (!force && hasOtherPlayers(s, clientId)) {
                skipped.add(new Skipped(s.id(), "has_active_clients"));
                continue;
            }
            try {
                if (registry.stop(s.id(), REASON_BULK)) {
                    deleted.add(s.id());
                }
            } catch (io.sluice.store.StoreUnavailableException e) {
                skipped.add(new Skipped(s.id(), "store_unavailable"));
            }
        }
        return new BulkStop(deleted, deleted.size(), skipped);
    }

    /** Stops the oldest matching stream ("latest wins" limits); empty when none matches. */
    public Optional<String> stopOldest(String field, String value, String excludeChannelId) {
        return matching(field, value, false).stream()
                .filter(s -> excludeChannelId == null || !excludeChannelId.equals(s.spec().metadata().get("channel_id")))
                .findFirst()
                .filter(s -> registry.stop(s.id(), REASON_OLDEST))
                .map(Stream::id);
    }

    private static boolean hasOtherPlayers(Stream s, String requester) {
        return s.clientStats().stream().anyMatch(c -> !c.clientId().equals(requester));
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badInput(name + " is required");
        }
    }
}
