package io.sluice.hlsout;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Optional;

/**
 * The live HLS window of one output: the last segments in memory and the media playlist over them. The media
 * sequence only grows, whatever produced the segments (a new programme, a new FFmpeg after a failover), and a
 * segment from a new producer is marked {@code #EXT-X-DISCONTINUITY}, with the discontinuity sequence kept right
 * as marked segments leave the window (RFC 8216 6.2.1-6.2.2). Bounded twice: by segment count and by bytes.
 */
public final class SegmentWindow {
    /** Segments kept past the playlist's window, for a player that fetched the playlist just before a cut. */
    static final int GRACE_SEGMENTS = 3;

    /** One segment: its place in the media sequence, its file name, bytes and duration. */
    public record Segment(long sequence, String name, byte[] bytes, double seconds, boolean discontinuity,
                          Instant programDateTime) {
    }

    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    /** Requests waiting for the first segment (guarded by this); each is removed when run or given up. */
    private final java.util.List<Runnable> awaitingFirst = new java.util.ArrayList<>();
    private final int listSize;
    private final long maxBytes;
    private final boolean keepAll;
    private long nextSequence;
    private long discontinuitySequence;
    private long bytes;
    private int targetDuration;
    private boolean discontinuityNext;

    /**
     * @param listSize segments in the playlist
     * @param minTarget the target duration asked for, so a short first segment does not make it smaller
     * @param keepAll keep every segment (a DVR recording); still bounded by {@code maxBytes}
     */
    public SegmentWindow(int listSize, int minTarget, long maxBytes, boolean keepAll) {
        this.listSize = listSize;
        this.targetDuration = Math.max(1, minTarget);
        this.maxBytes = maxBytes;
        this.keepAll = keepAll;
    }

    /** The next segment added comes from a new producer. Only meaningful once something was shown. */
    public synchronized void discontinuity() {
        discontinuityNext = !segments.isEmpty() || nextSequence > 0;
    }

    public Segment add(String name, byte[] data, double seconds, Instant end) {
        Segment s;
        java.util.List<Runnable> ready;
        synchronized (this) {
            s = append(name, data, seconds, end);
            ready = awaitingFirst.isEmpty() ? java.util.List.of() : new java.util.ArrayList<>(awaitingFirst);
            awaitingFirst.clear();
        }
        ready.forEach(Runnable::run); // outside the lock: they read the window
        return s;
    }

    /** Runs {@code then} once the window has a segment: now if it has one, else on the thread adding the first. */
    public void whenFirst(Runnable then) {
        synchronized (this) {
            if (segments.isEmpty()) {
                awaitingFirst.add(then);
                return;
            }
        }
        then.run();
    }

    /** Gives up waiting with {@code then}; true when it had not run yet (and now never will). */
    public synchronized boolean forget(Runnable then) {
        return awaitingFirst.remove(then);
    }

    private Segment append(String name, byte[] data, double seconds, Instant end) {
        Instant start = end.minusMillis((long) (seconds * 1000));
        Segment s = new Segment(nextSequence++, name, data, seconds, discontinuityNext, start);
        discontinuityNext = false;
        segments.addLast(s);
        bytes += data.length;
        // Never decreases (RFC 8216 6.2.1): a long segment raises it for good.
        targetDuration = Math.max(targetDuration, (int) Math.ceil(seconds - 0.0005));
        int keep = keepAll ? Integer.MAX_VALUE : listSize + GRACE_SEGMENTS;
        while (segments.size() > 1 && (segments.size() > keep || bytes > maxBytes)) {
            drop();
        }
        return s;
    }

    private void drop() {
        Segment gone = segments.removeFirst();
        bytes -= gone.bytes().length;
        if (gone.discontinuity()) {
            discontinuitySequence++;
        }
    }

    public synchronized Optional<Segment> segment(String name) {
        for (Segment s : segments) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public synchronized boolean isEmpty() {
        return segments.isEmpty();
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int size() {
        return segments.size();
    }

    /** The media playlist; segment URIs are {@code prefix + name}. Null until the first segment. */
    public synchronized String playlist(String prefix) {
        return playlist(prefix, "");
    }

    /** The media playlist; segment URIs are {@code prefix + name + suffix} (a player's query). */
    public synchronized String playlist(String prefix, String suffix) {
        if (segments.isEmpty()) {
            return null;
        }
        int skip = keepAll ? 0 : Math.max(0, segments.size() - listSize);
        // Counts every discontinuity before the first segment shown (those that left, those skipped here).
        long discontinuities = discontinuitySequence;
        Segment first = null;
        int i = 0;
        StringBuilder body = new StringBuilder();
        for (Segment s : segments) {
            if (i++ < skip) {
                discontinuities += s.discontinuity() ? 1 : 0;
                continue;
            }
            first = first == null ? s : first;
            if (s.discontinuity()) {
                body.append("#EXT-X-DISCONTINUITY\n");
            }
            body.append("#EXT-X-PROGRAM-DATE-TIME:").append(DateTimeFormatter.ISO_INSTANT.format(s.programDateTime()))
                    .append('\n');
            body.append("#EXTINF:").append(String.format(Locale.ROOT, "%.3f", s.seconds())).append(",\n");
            body.append(prefix).append(s.name()).append(suffix).append('\n');
        }
        return "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + targetDuration + "\n#EXT-X-MEDIA-SEQUENCE:"
                + first.sequence() + "\n#EXT-X-DISCONTINUITY-SEQUENCE:" + discontinuities + "\n"
                + "#EXT-X-INDEPENDENT-SEGMENTS\n" + body;
    }
}
