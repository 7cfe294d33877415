package io.sluice.streams;

import java.util.List;
import java.util.Map;

/**
 * m3u-proxy's answer to {@code GET /streams/by-metadata}, which M3U Editor builds its connection limits, channel
 * status, stream reuse and "fail over this channel" on; {@code field}, {@code value}, {@code streams} (full
 * stats) and {@code total} are Sluice's own, kept for its earlier users.
 */
public record MatchingStreams(Filter filter, boolean activeOnly, List<Match> matchingStreams, int totalMatching,
                              int totalClients, String field, String value, List<StreamStats> streams, int total) {

    public record Filter(String field, String value) {
    }

    /** One stream as m3u-proxy lists it here ({@code url}: where it plays from now). */
    public record Match(String streamId, int clientCount, Map<String, String> metadata, String lastAccess,
                        boolean isActive, String url, String streamType) {
    }

    static MatchingStreams of(String field, String value, boolean activeOnly, List<Stream> found) {
        List<Match> matches = found.stream().map(s -> {
            StreamStats st = s.stats();
            return new Match(st.streamId(), st.clientCount(), st.metadata(), st.lastAccess(), st.isActive(),
                    st.currentUrl(), st.streamType());
        }).toList();
        List<StreamStats> stats = found.stream().map(Stream::stats).toList();
        return new MatchingStreams(new Filter(field, value), activeOnly, matches, matches.size(),
                matches.stream().mapToInt(Match::clientCount).sum(), field, value, stats, stats.size());
    }
}
