package io.sluice.hls;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a live media playlist still advances (issue 15): one that has shown the same media sequence and last
 * segment for three target durations is stale — its source is up but broken. Pure apart from the map; the
 * caller gives the clock. ENDLIST playlists (VOD, or a stream that ended) never go stale.
 */
final class PlaylistProgress {
    /** Past this many playlists followed at once, entries not seen for a while are dropped. */
    private static final int MAX_ENTRIES = 10_000;
    private static final long FORGET_NANOS = 10L * 60 * 1_000_000_000L;

    private record Seen(String position, long changedNanos, long seenNanos) {
    }

    private final ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();

    /** Notes {@code body} as fetched for {@code key} now; true when it has not advanced for 3 × its target duration. */
    boolean stale(String key, String body, long nowNanos) {
        if (Playlists.isMaster(body) || body.contains("#EXT-X-ENDLIST")) {
            return false;
        }
        String position = position(body);
        long limit = 3L * Math.max(1, Playlists.targetDuration(body)) * 1_000_000_000L;
        Seen s = seen.compute(key, (k, old) -> old == null || !old.position.equals(position)
                ? new Seen(position, nowNanos, nowNanos)
                : new Seen(position, old.changedNanos, nowNanos));
        if (seen.size() > MAX_ENTRIES) {
            forgetOld(nowNanos);
        }
        return nowNanos - s.changedNanos > limit;
    }

    /** A stale playlist's source was left: if it is asked for again later, it starts with a clean slate. */
    void forget(String key) {
        seen.remove(key);
    }

    void forgetStream(String streamId) {
        seen.keySet().removeIf(k -> k.startsWith(streamId + "|"));
    }

    private void forgetOld(long nowNanos) {
        for (Iterator<Map.Entry<String, Seen>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next().getValue().seenNanos > FORGET_NANOS) {
                it.remove();
            }
        }
    }

    /** The media sequence and the last segment line: what moves when a live playlist advances. */
    static String position(String body) {
        String sequence = "";
        String last = "";
        for (String line : body.split("\\R")) {
            String l = line.strip();
            if (l.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                sequence = l;
            } else if (!l.isEmpty() && !l.startsWith("#")) {
                last = l;
            }
        }
        return sequence + "|" + last;
    }
}
