package io.sluice.hls;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sluice owns the media and discontinuity sequences a player sees (SPEC 7.2, RFC 8216 6.2.1-6.2.2). The player
 * is shown one window of segments that only ever grows at its end; each fetched playlist, from whichever source
 * or backend answered, is <em>aligned</em> against what was shown, and only its segments after the last one
 * shown are appended: no replay, no jump ahead. Alignment, first that applies:
 * <ol>
 * <li>the backend that gave the newest segment shown, numbering on as before: its own numbers;</li>
 * <li>both carry {@code EXT-X-PROGRAM-DATE-TIME}: a segment is new when it starts after the last shown ends
 * (half a segment of tolerance), unless that disagrees with the clock by more than three segments;</li>
 * <li>a backend aligned before whose numbering still runs on: its offset from then;</li>
 * <li>numbers that agree with those of the newest segment's backend (its live edge now, give or take a
 * window): the same number is the same segment;</li>
 * <li>the clock: when each backend's segments came out ({@link EdgeClock}) against when ours did, refined by a
 * run of segment durations that matches exactly; reconsidered as polls narrow the clocks.</li>
 * </ol>
 * A discontinuity goes before the first segment from another source (failover position), and before a
 * backend's first segment when only the clock placed it; backends of one source placed by date-time or numbers
 * continue without one, so a balancer's backends look like one source. Pure; one instance per played media
 * playlist; not thread-safe (the caller serialises).
 */
public final class SequenceMapper {
    /** Which entry of the source list a playlist came from, and which backend (host) answered for it. */
    public record Origin(String source, String backend) {
    }

    /** A segment as shown to players: output number, its lines (absolute URIs), and what places it in time. */
    private record Shown(long seq, List<String> lines, boolean discontinuity, long durationMillis, Long pdtMillis,
            String keyLine, String mapLine, Origin origin) {
    }

    /** How a backend's numbers map onto ours (placed by the clock alone?), and its live edge when last seen. */
    private record Alignment(long offset, long edge, long seenAtMillis, boolean byClock) {
    }

    /** One segment of a fetched playlist. */
    private record Parsed(List<String> lines, boolean discontinuity, long durationMillis, Long pdtMillis,
            String keyLine, String mapLine) {
    }

    /** Where a fetched playlist's segments go: output = upstream + offset; new ones get a discontinuity first? */
    private record Placement(long offset, boolean discontinuity, boolean byClock) {
        Placement(long offset, boolean discontinuity) {
            this(offset, discontinuity, false);
        }
    }

    private static final int MAX_BACKENDS = 32;
    private static final int DURATION_RUN = 5;

    private final ArrayDeque<Shown> window = new ArrayDeque<>();
    private final Map<Origin, Alignment> alignments = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Origin, Alignment> eldest) {
            return size() > MAX_BACKENDS;
        }
    };
    private final Map<Origin, EdgeClock> clocks = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Origin, EdgeClock> eldest) {
            return size() > MAX_BACKENDS;
        }
    };
    /** When our own numbers came out, from the backends placed firmly (not by the clock alone). */
    private final EdgeClock shownClock = new EdgeClock();
    private long lastOut = -1;
    private int maxTarget;
    /** Discontinuity tags that have left every playlist shown so far. */
    private long discontinuitiesGone;

    /**
     * Maps one media playlist, fetched at {@code fetchedAtMillis} from {@code origin} with every URI absolute,
     * to what the player sees. A master playlist or a playlist without segments is returned unchanged.
     */
    public String map(String playlist, Origin origin, long fetchedAtMillis) {
        if (Playlists.isMaster(playlist)) {
            return playlist;
        }
        Fetched f = parse(playlist);
        if (f.segments.isEmpty()) {
            return playlist;
        }
        maxTarget = Math.max(maxTarget, f.target);
        long edge = f.mediaSequence + f.segments.size() - 1;
        long duration = f.averageDurationMillis();
        clocks.computeIfAbsent(origin, o -> new EdgeClock()).observe(edge, fetchedAtMillis, duration);
        Placement p;
        if (window.isEmpty()) {
            p = new Placement(0, false);
            discontinuitiesGone = f.discontinuitySequence;
        } else {
            p = place(f, origin, fetchedAtMillis);
        }
        alignments.put(origin, new Alignment(p.offset(), edge, fetchedAtMillis, p.byClock()));

        boolean first = true;
        for (int i = 0; i < f.segments.size(); i++) {
            Parsed s = f.segments.get(i);
            long seq = f.mediaSequence + i + p.offset();
            if (seq > lastOut) {
                boolean disc = s.discontinuity() || (first && p.discontinuity());
                window.addLast(new Shown(seq, s.lines(), disc, s.durationMillis(), s.pdtMillis(),
                        s.keyLine(), s.mapLine(), origin));
                lastOut = seq;
                first = false;
            }
        }
        if (!p.byClock() && edge + p.offset() == lastOut) {
            shownClock.observe(lastOut, fetchedAtMillis, duration);
        }
        // The window is as long as the upstream's; a discontinuity leaving it is counted (RFC 8216 6.2.2).
        while (window.size() > f.segments.size()) {
            if (window.pollFirst().discontinuity()) {
                discontinuitiesGone++;
            }
        }
        return render(f, edgeIsOurs(f, p));
    }

    /** The upstream's trailing tags (parts, preload hints, end list) belong to its edge: kept when that is ours. */
    private boolean edgeIsOurs(Fetched f, Placement p) {
        return f.mediaSequence + f.segments.size() - 1 + p.offset() == lastOut;
    }

    private Placement place(Fetched f, Origin origin, long now) {
        Shown last = window.peekLast();
        Alignment known = alignments.get(origin);
        long edge = f.mediaSequence + f.segments.size() - 1;
        boolean sameSource = origin.source().equals(last.origin().source());
        if (known != null && origin.equals(last.origin()) && runsOn(known, edge, now)) {
            return known.byClock() ? reconsider(known, f, origin, false) : new Placement(known.offset(), false);
        }
        Long byDate = firstNewByDate(f, last);
        Placement byClock = byClock(f, origin, sameSource);
        if (byDate != null && Math.abs(offsetFor(f, byDate) - byClock.offset()) <= 3) {
            return new Placement(offsetFor(f, byDate), !sameSource);
        }
        if (known != null && runsOn(known, edge, now)) {
            return known.byClock() ? reconsider(known, f, origin, !sameSource)
                    : new Placement(known.offset(), !sameSource);
        }
        Alignment ref = alignments.get(last.origin());
        if (ref != null) {
            long expected = ref.edge() + elapsedSegments(ref.seenAtMillis(), now);
            long slack = Math.max(3, f.segments.size());
            if (edge >= expected - slack && edge <= expected + 3) {
                return new Placement(ref.offset(), !sameSource);
            }
        }
        return byClock;
    }

    /**
     * Places the playlist by when its edge came out against when ours did. Unsure by a segment, a backend of
     * the same source is put behind (it adds nothing until it has something new: no replay), another source
     * to the nearest. Only the clock and the durations place it: the seam gets a discontinuity.
     */
    private Placement byClock(Fetched f, Origin origin, boolean sameSource) {
        long edge = f.mediaSequence + f.segments.size() - 1;
        long d = f.averageDurationMillis();
        EdgeClock theirs = clocks.get(origin);
        if (!shownClock.known()) {
            return new Placement(lastOut - edge, true, true); // nothing to compare with: their edge is our edge
        }
        double from = (theirs.earliest(edge, d) - shownClock.latest(lastOut, d)) / (double) d;
        double to = (theirs.latest(edge, d) - shownClock.earliest(lastOut, d)) / (double) d;
        double mid = (from + to) / 2;
        long ahead = sameSource ? (long) Math.floor(mid) : Math.round(mid);
        long offset = lastOut + ahead - edge;
        long refined = offsetFor(f, refineByDurations(f, lastOut + 1 - offset - f.mediaSequence));
        return new Placement(refined, true, true);
    }

    /** A backend placed by the clock moves once polls have narrowed its clock to one answer that differs. */
    private Placement reconsider(Alignment known, Fetched f, Origin origin, boolean discontinuity) {
        long edge = f.mediaSequence + f.segments.size() - 1;
        long d = f.averageDurationMillis();
        EdgeClock theirs = clocks.get(origin);
        if (shownClock.known()) {
            long from = Math.round((theirs.earliest(edge, d) - shownClock.latest(lastOut, d)) / (double) d);
            long to = Math.round((theirs.latest(edge, d) - shownClock.earliest(lastOut, d)) / (double) d);
            if (from == to && lastOut + from - edge != known.offset()) {
                return new Placement(lastOut + from - edge, discontinuity, true);
            }
        }
        return new Placement(known.offset(), discontinuity, true);
    }

    /** A backend's numbering still runs on from when it was last seen: not backwards, not ahead of its clock. */
    private boolean runsOn(Alignment a, long edge, long now) {
        return edge >= a.edge() - 2 && edge <= a.edge() + elapsedSegments(a.seenAtMillis(), now) + 3;
    }

    private long elapsedSegments(long since, long now) {
        long target = Math.max(1, maxTarget) * 1000L;
        return Math.max(0, now - since) / target;
    }

    /** Numbers the first new segment (index {@code firstNew}, may be past the end) right after the last shown. */
    private long offsetFor(Fetched f, long firstNew) {
        return lastOut + 1 - (f.mediaSequence + firstNew);
    }

    /** The first segment starting after the last shown one ends; null unless both carry program date-time. */
    private static Long firstNewByDate(Fetched f, Shown last) {
        if (last.pdtMillis() == null) {
            return null;
        }
        long lastEnd = last.pdtMillis() + last.durationMillis();
        for (int i = 0; i < f.segments.size(); i++) {
            Parsed s = f.segments.get(i);
            if (s.pdtMillis() == null) {
                return null;
            }
            if (s.pdtMillis() >= lastEnd - Math.min(s.durationMillis(), last.durationMillis()) / 2) {
                return (long) i;
            }
        }
        return (long) f.segments.size();
    }

    /**
     * Real encoders cut segments of slightly different lengths: when the durations before a candidate match the
     * last ones shown exactly, and they are not all alike, that candidate (near the clock's guess) is the seam.
     */
    private long refineByDurations(Fetched f, long byClock) {
        List<Long> shown = new ArrayList<>();
        var it = window.descendingIterator();
        while (it.hasNext() && shown.size() < DURATION_RUN) {
            shown.add(it.next().durationMillis());
        }
        long best = byClock;
        long bestDistance = Long.MAX_VALUE;
        for (long c = Math.max(0, byClock - 2); c <= Math.min(f.segments.size(), byClock + 2); c++) {
            int pairs = (int) Math.min(c, shown.size());
            if (pairs < 2) {
                continue;
            }
            boolean match = true;
            boolean varied = false;
            for (int k = 0; k < pairs && match; k++) {
                long d = f.segments.get((int) c - 1 - k).durationMillis();
                match = d == shown.get(k);
                varied |= d != shown.get(0);
            }
            if (match && varied && Math.abs(c - byClock) < bestDistance) {
                best = c;
                bestDistance = Math.abs(c - byClock);
            }
        }
        return best;
    }

    private String render(Fetched f, boolean withTrailer) {
        String eol = f.eol;
        long first = window.peekFirst().seq();
        int target = maxTarget;
        for (Shown s : window) {
            target = (int) Math.max(target, (s.durationMillis() + 500) / 1000); // RFC 8216 4.3.3.1: rounded
        }
        StringBuilder out = new StringBuilder(f.length + 256);
        boolean wroteMediaSeq = false;
        for (String line : f.header) {
            String t = line.strip();
            String ending = line.substring(line.stripTrailing().length());
            if (t.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                out.append("#EXT-X-MEDIA-SEQUENCE:").append(first).append(ending);
                wroteMediaSeq = true;
                if (discontinuitiesGone > 0 && !f.hasDiscontinuitySequence) {
                    out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitiesGone).append(eol);
                }
            } else if (t.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitiesGone).append(ending);
            } else if (t.startsWith("#EXT-X-TARGETDURATION:")) {
                out.append("#EXT-X-TARGETDURATION:").append(target).append(ending);
            } else {
                out.append(line);
            }
        }
        if (!wroteMediaSeq && first != 0) {
            out.append("#EXT-X-MEDIA-SEQUENCE:").append(first).append(eol);
            if (discontinuitiesGone > 0 && !f.hasDiscontinuitySequence) {
                out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitiesGone).append(eol);
            }
        }
        String key = null;
        String map = null;
        for (Shown s : window) {
            boolean ownKey = s.lines().stream().anyMatch(l -> l.strip().startsWith("#EXT-X-KEY"));
            boolean ownMap = s.lines().stream().anyMatch(l -> l.strip().startsWith("#EXT-X-MAP"));
            boolean ownDiscontinuity = s.lines().stream().anyMatch(l -> l.strip().equals("#EXT-X-DISCONTINUITY"));
            if (s.discontinuity() && !ownDiscontinuity) {
                out.append("#EXT-X-DISCONTINUITY").append(eol);
            }
            // Segments kept from an earlier playlist carry the key and init section that applied to them there.
            if (!ownKey && !Objects.equals(key, s.keyLine())) {
                out.append(s.keyLine() == null ? "#EXT-X-KEY:METHOD=NONE" : s.keyLine()).append(eol);
            }
            if (!ownMap && s.mapLine() != null && !Objects.equals(map, s.mapLine())) {
                out.append(s.mapLine()).append(eol);
            }
            key = s.keyLine();
            map = s.mapLine();
            s.lines().forEach(out::append);
        }
        if (withTrailer) {
            f.trailer.forEach(out::append);
        } else {
            f.trailer.stream().filter(l -> l.strip().equals("#EXT-X-ENDLIST")).forEach(out::append);
        }
        return out.toString();
    }

    /** A fetched media playlist, split into header, segments and trailing tags. */
    private static final class Fetched {
        final List<String> header = new ArrayList<>();
        final List<Parsed> segments = new ArrayList<>();
        final List<String> trailer = new ArrayList<>();
        long mediaSequence;
        int target;
        boolean hasDiscontinuitySequence;
        long discontinuitySequence;
        String eol = "\n";
        int length;

        long averageDurationMillis() {
            long sum = segments.stream().mapToLong(Parsed::durationMillis).sum();
            return Math.max(100, sum / Math.max(1, segments.size()));
        }
    }

    private static Fetched parse(String playlist) {
        Fetched f = new Fetched();
        f.length = playlist.length();
        List<String> lines = splitKeepingEndings(playlist);
        f.eol = lines.get(0).endsWith("\r\n") ? "\r\n" : "\n";
        List<String> pending = new ArrayList<>();
        boolean discontinuity = false;
        long duration = 0;
        Long pdt = null;
        Long nextPdt = null;
        String key = null;
        String map = null;
        for (String line : lines) {
            String t = line.strip();
            if (t.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                f.mediaSequence = parseLong(t, 0);
            } else if (t.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                f.hasDiscontinuitySequence = true;
                f.discontinuitySequence = parseLong(t, 0);
            } else if (t.startsWith("#EXT-X-TARGETDURATION:")) {
                f.target = (int) parseLong(t, 0);
            }
            boolean segmentTag = t.startsWith("#EXTINF") || isSegmentTag(t);
            if (f.segments.isEmpty() && pending.isEmpty() && !segmentTag && (t.startsWith("#") || t.isEmpty())) {
                f.header.add(line);
                continue;
            }
            pending.add(line);
            if (t.startsWith("#EXTINF:")) {
                duration = parseMillis(t);
            } else if (t.equals("#EXT-X-DISCONTINUITY")) {
                discontinuity = true;
            } else if (t.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                pdt = parseDate(t.substring(t.indexOf(':') + 1).trim());
            } else if (t.startsWith("#EXT-X-KEY")) {
                key = t;
            } else if (t.startsWith("#EXT-X-MAP")) {
                map = t;
            } else if (!t.startsWith("#") && !t.isEmpty()) {
                Long at = pdt != null ? pdt : nextPdt;
                f.segments.add(new Parsed(pending, discontinuity, duration, at, key, map));
                nextPdt = at == null ? null : at + duration;
                pending = new ArrayList<>();
                discontinuity = false;
                duration = 0;
                pdt = null;
            }
        }
        f.trailer.addAll(pending); // e.g. #EXT-X-ENDLIST, LL-HLS parts of the next segment
        return f;
    }

    private static boolean isSegmentTag(String t) {
        return t.equals("#EXT-X-DISCONTINUITY") || t.startsWith("#EXT-X-KEY") || t.startsWith("#EXT-X-MAP")
                || t.startsWith("#EXT-X-BYTERANGE") || t.startsWith("#EXT-X-PROGRAM-DATE-TIME")
                || t.startsWith("#EXT-X-GAP") || t.startsWith("#EXT-X-PART:");
    }

    private static long parseLong(String tagLine, long fallback) {
        try {
            return Long.parseLong(tagLine.substring(tagLine.indexOf(':') + 1).trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long parseMillis(String extinf) {
        String v = extinf.substring(extinf.indexOf(':') + 1);
        int comma = v.indexOf(',');
        try {
            return Math.round(Double.parseDouble((comma < 0 ? v : v.substring(0, comma)).trim()) * 1000);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static final DateTimeFormatter COMPACT_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]Z");

    /** ISO 8601 date-time with offset ({@code Z}, {@code +01:00}, or the common {@code +0100}); null if not. */
    static Long parseDate(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value, COMPACT_OFFSET).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static List<String> splitKeepingEndings(String s) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (pos < s.length()) {
            int nl = s.indexOf('\n', pos);
            int end = nl < 0 ? s.length() : nl + 1;
            out.add(s.substring(pos, end));
            pos = end;
        }
        return out;
    }
}
