package io.sluice.hls;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Sluice owns the media and discontinuity sequences a player sees (SPEC 7.2, RFC 8216 6.2.1-6.2.2). When the
 * source changes (failover, sticky revert, another backend) or an upstream's sequence goes backwards, the
 * new segments are numbered after the last one shown and a discontinuity is put before the first of them,
 * so the sequence a player sees never decreases and the target duration never shrinks. Pure; one instance
 * per played media playlist; not thread-safe (the caller serialises).
 */
public final class SequenceMapper {
    private boolean started;
    private String sourceKey;
    private long offset;
    private long lastUpstreamFirst;
    private long maxOutputLast = -1;
    private int maxTarget;
    /** Discontinuity tags that have left every playlist shown so far. */
    private long discontinuitiesGone;
    /** Output sequence numbers with a discontinuity before them, still in or ahead of the window. */
    private final TreeSet<Long> discontinuityBefore = new TreeSet<>();

    /** One parsed media segment: its tag lines and its URI line, with their line endings. */
    private record Segment(List<String> lines, boolean hasDiscontinuity) {
    }

    /**
     * Maps one media playlist as fetched from {@code sourceKey} (for example the backend's host and the source
     * index) to what the player sees. A master playlist or a playlist without segments is returned unchanged.
     */
    public String map(String playlist, String sourceKey) {
        if (Playlists.isMaster(playlist)) {
            return playlist;
        }
        List<String> lines = splitKeepingEndings(playlist);
        List<String> header = new ArrayList<>();
        List<Segment> segments = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        boolean pendingDiscontinuity = false;
        long mediaSequence = 0;
        long upstreamDiscontinuitySeq = 0;
        int target = 0;
        for (String line : lines) {
            String t = line.strip();
            if (t.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                mediaSequence = parseLong(t, mediaSequence);
            } else if (t.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                upstreamDiscontinuitySeq = parseLong(t, 0);
            } else if (t.startsWith("#EXT-X-TARGETDURATION:")) {
                target = (int) parseLong(t, 0);
            }
            if (segments.isEmpty() && pending.isEmpty() && !t.startsWith("#EXTINF") && !isSegmentTag(t)
                    && (t.startsWith("#") || t.isEmpty())) {
                header.add(line);
            } else if (!t.startsWith("#") && !t.isEmpty()) {
                pending.add(line);
                segments.add(new Segment(pending, pendingDiscontinuity));
                pending = new ArrayList<>();
                pendingDiscontinuity = false;
            } else {
                pending.add(line);
                pendingDiscontinuity |= t.equals("#EXT-X-DISCONTINUITY");
            }
        }
        if (segments.isEmpty()) {
            return playlist;
        }

        boolean newSource = started && (!sourceKey.equals(this.sourceKey) || mediaSequence < lastUpstreamFirst);
        if (!started) {
            started = true;
            offset = 0;
            discontinuitiesGone = upstreamDiscontinuitySeq;
        } else if (newSource) {
            offset = maxOutputLast + 1 - mediaSequence;
        }
        this.sourceKey = sourceKey;
        lastUpstreamFirst = mediaSequence;
        long outFirst = mediaSequence + offset;
        if (newSource) {
            discontinuityBefore.add(outFirst);
        }
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).hasDiscontinuity()) {
                discontinuityBefore.add(outFirst + i);
            }
        }
        while (!discontinuityBefore.isEmpty() && discontinuityBefore.first() < outFirst) {
            discontinuityBefore.pollFirst();
            discontinuitiesGone++;
        }
        maxOutputLast = Math.max(maxOutputLast, outFirst + segments.size() - 1);
        maxTarget = Math.max(maxTarget, target);

        StringBuilder out = new StringBuilder(playlist.length() + 128);
        boolean wroteDiscontinuitySeq = false;
        String eol = lines.get(0).endsWith("\r\n") ? "\r\n" : "\n";
        for (String line : header) {
            String t = line.strip();
            String ending = line.substring(line.stripTrailing().length());
            if (t.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                out.append("#EXT-X-MEDIA-SEQUENCE:").append(outFirst).append(ending);
                if (!wroteDiscontinuitySeq && discontinuitiesGone > 0 && !hasTag(header, "#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                    out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitiesGone).append(eol);
                    wroteDiscontinuitySeq = true;
                }
            } else if (t.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitiesGone).append(ending);
            } else if (t.startsWith("#EXT-X-TARGETDURATION:")) {
                out.append("#EXT-X-TARGETDURATION:").append(maxTarget).append(ending);
            } else {
                out.append(line);
            }
        }
        if (!hasTag(header, "#EXT-X-MEDIA-SEQUENCE:") && outFirst != 0) {
            out.append("#EXT-X-MEDIA-SEQUENCE:").append(outFirst).append(eol);
            if (discontinuitiesGone > 0 && !hasTag(header, "#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitiesGone).append(eol);
            }
        }
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (!s.hasDiscontinuity() && discontinuityBefore.contains(outFirst + i)) {
                out.append("#EXT-X-DISCONTINUITY").append(eol);
            }
            s.lines().forEach(out::append);
        }
        pending.forEach(out::append); // trailing tags, e.g. #EXT-X-ENDLIST
        return out.toString();
    }

    private static boolean isSegmentTag(String t) {
        return t.equals("#EXT-X-DISCONTINUITY") || t.startsWith("#EXT-X-KEY") || t.startsWith("#EXT-X-MAP")
                || t.startsWith("#EXT-X-BYTERANGE") || t.startsWith("#EXT-X-PROGRAM-DATE-TIME")
                || t.startsWith("#EXT-X-GAP") || t.startsWith("#EXT-X-PART:");
    }

    private static boolean hasTag(List<String> lines, String prefix) {
        return lines.stream().anyMatch(l -> l.strip().startsWith(prefix));
    }

    private static long parseLong(String tagLine, long fallback) {
        try {
            return Long.parseLong(tagLine.substring(tagLine.indexOf(':') + 1).trim());
        } catch (NumberFormatException e) {
            return fallback;
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
