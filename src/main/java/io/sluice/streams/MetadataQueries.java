package io.sluice.streams;

import io.sluice.events.StopCause;
import io.sluice.store.StoreUnavailableException;
import io.sluice.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata routes an IPTV editor enforces its limits with (SPEC 3.2, 11, 16), as m3u-proxy behaves: find,
 * count and stop streams by a metadata field. Only streams in a period of use ({@code is_active}) are found and
 * counted: a stream that has ended its period holds no provider connection.
 */
@ApplicationScoped
public class MetadataQueries {
    @Inject
    StreamRegistry registry;

    /** A stream a bulk stop left running; {@code active_clients} when players kept it. */
    public record Skipped(String streamId, String reason, Integer activeClients) {
    }

    public record BulkStop(String message, List<String> deletedStreams, int deletedCount, List<Skipped> skippedStreams) {
    }

    public List<Stream> matching(String field, String value, boolean activeOnly) {
        require("field", field);
        require("value", value);
        return registry.oldestFirst().stream()
                .filter(s -> s.inUse() && value.equals(s.spec().metadata().get(field)))
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
     * Stops every registered stream that matches. Without {@code force}, a stream that other players still watch is
     * kept ({@code has_active_clients}); the requester's own session ({@code clientId}) does not count as another.
     */
    public BulkStop stop(String field, String value, String excludeChannelId, boolean force, String clientId) {
        require("field", field);
        require("value", value);
        if (clientId != null && clientId.length() > PlayerIdentity.MAX_CLIENT_ID) {
            throw ApiException.badInput("client_id must be at most " + PlayerIdentity.MAX_CLIENT_ID + " characters");
        }
        List<String> deleted = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Stream s : registry.oldestFirst()) {
            if (!value.equals(s.spec().metadata().get(field))) {
                continue;
            }
            if (isChannel(s, excludeChannelId)) {
                skipped.add(new Skipped(s.id(), "excluded_by_channel_id", null));
                continue;
            }
            long others = otherPlayers(s, clientId);
            if (!force && others > 0) {
                skipped.add(new Skipped(s.id(), "has_active_clients", (int) others));
                continue;
            }
            try {
                if (registry.stop(s.id(), StopCause.filter(StopCause.METADATA_FILTER, field, value))) {
                    deleted.add(s.id());
                }
            } catch (StoreUnavailableException e) {
                skipped.add(new Skipped(s.id(), "store_unavailable", null));
            }
        }
        return new BulkStop("Deleted " + deleted.size() + " stream(s) matching " + field + "=" + value, deleted,
                deleted.size(), skipped);
    }

    /**
     * Stops the oldest matching stream in use ("latest wins" limits); empty when none matches. A stream that has
     * ended its period is not a candidate: stopping it would free no provider connection.
     */
    public Optional<Stream> stopOldest(String field, String value, String excludeChannelId) {
        return matching(field, value, false).stream()
                .filter(s -> !isChannel(s, excludeChannelId))
                .filter(s -> registry.stop(s.id(), StopCause.filter(StopCause.OLDEST, field, value)))
                .findFirst();
    }

    /**
     * The editor names its channel in {@code metadata.id} (m3u-proxy compares that); Sluice's own users have used
     * {@code channel_id}. Either identifies the channel to keep.
     */
    private static boolean isChannel(Stream s, String channelId) {
        if (channelId == null || channelId.isEmpty()) {
            return false;
        }
        Map<String, String> m = s.spec().metadata();
        return channelId.equals(m.get("id")) || channelId.equals(m.get("channel_id"));
    }

    private static long otherPlayers(Stream s, String requester) {
        return s.clientStats().stream().filter(c -> !c.clientId().equals(requester)).count();
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badInput(name + " is required");
        }
    }
}
