package io.sluice.ops;

import io.sluice.config.Settings;
import io.sluice.hls.PlaylistFetcher;
import io.sluice.relay.LiveRelays;
import io.sluice.sources.InvalidSources;
import io.sluice.sources.Recovery;
import io.sluice.streams.ClientStats;
import io.sluice.streams.Stream;
import io.sluice.streams.StreamRegistry;
import io.sluice.streams.StreamStats;
import io.sluice.streams.Times;
import io.sluice.webhooks.WebhookDispatcher;
import io.sluice.webhooks.WebhookStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The figures behind the stats routes, read from the live objects (no placeholders). */
@ApplicationScoped
public class ProxyStats {
    public static final String VERSION = "0.1.0";

    @Inject
    StreamRegistry registry;
    @Inject
    LiveRelays relays;
    @Inject
    PlaylistFetcher playlists;
    @Inject
    WebhookDispatcher webhooks;
    @Inject
    InvalidSources invalid;
    @Inject
    Uptime uptime;
    @Inject
    Settings settings;
    @Inject
    Recovery recovery;

    /**
     * m3u-proxy's {@code proxy_stats}: {@code active_streams} are streams in use with a player,
     * {@code total_clients} and {@code active_clients} both count connected players (Sluice lists no others).
     */
    public record Summary(String version, String startedAt, long uptimeSeconds, int totalStreams, int activeStreams,
                          int totalClients, int activeClients, long totalBytesServed, long totalSegmentsServed,
                          int upstreamConnectionsOpen) {
    }

    public record Relay(int upstreamConnectionsOpen, long playerSkips) {
    }

    public record Hls(long playlistUpstreamFetches, long playlistSharedFetches) {
    }

    public record Jvm(int threads, long heapUsedBytes, long heapMaxBytes) {
    }

    /** m3u-proxy's failover figures: failovers of the registered streams, and retries since start by reason. */
    public record FailoverStats(long totalFailovers, Map<String, Long> retriesByReason) {
    }

    /** Upstream connections as m3u-proxy's {@code connection_pool_stats} names them. */
    public record ConnectionPool(int activeConnections, int maxConnections) {
    }

    public record Performance(long totalBytesServed, long totalSegmentsServed, long playerSkips,
                              long playlistUpstreamFetches, long playlistSharedFetches) {
    }

    public record ErrorStats(long totalErrors, int invalidSources) {
    }

    /**
     * m3u-proxy's {@code /stats/detailed} ({@code proxy_stats, connection_pool_stats, failover_stats,
     * performance_metrics, error_stats, stream_count, client_count}), then Sluice's own sections.
     */
    public record Detailed(Summary proxyStats, ConnectionPool connectionPoolStats, FailoverStats failoverStats,
                           Performance performanceMetrics, ErrorStats errorStats, int streamCount, int clientCount,
                           Summary proxy, List<StreamStats> streams, List<ClientStats> clients, Relay relay, Hls hls,
                           List<WebhookStats> webhooks, int invalidSources, Jvm jvm) {
    }

    /** m3u-proxy's {@code /stats/performance}. */
    public record PerformanceView(ConnectionPool connectionPool, Performance performanceMetrics,
                                  FailoverStats failoverStats, ErrorStats errorStats, String timestamp) {
    }

    public List<StreamStats> streams() {
        return registry.oldestFirst().stream().map(Stream::stats).toList();
    }

    public List<ClientStats> clients() {
        return registry.all().stream().flatMap(s -> s.clientStats().stream()).toList();
    }

    public Summary summary() {
        List<StreamStats> streams = streams();
        int clients = streams.stream().mapToInt(StreamStats::clientCount).sum();
        return new Summary(VERSION, Times.iso(uptime.started()), uptime.seconds(), streams.size(),
                (int) streams.stream().filter(s -> s.isActive() && s.clientCount() > 0).count(), clients, clients,
                streams.stream().mapToLong(StreamStats::totalBytesServed).sum(),
                streams.stream().mapToLong(StreamStats::totalSegmentsServed).sum(), relays.openUpstreams());
    }

    public PerformanceView performance() {
        Summary s = summary();
        return new PerformanceView(pool(), performance(s), failovers(), errors(streams()), Times.iso(Instant.now()));
    }

    private ConnectionPool pool() {
        return new ConnectionPool(relays.openUpstreams(), settings.maxUpstreamConnections());
    }

    private Performance performance(Summary s) {
        return new Performance(s.totalBytesServed(), s.totalSegmentsServed(), relays.playerSkips(),
                playlists.upstreamFetches(), playlists.sharedFetches());
    }

    private FailoverStats failovers() {
        long all = streams().stream().mapToLong(StreamStats::failoverAttempts).sum();
        return new FailoverStats(all, recovery.retriesByReason());
    }

    private ErrorStats errors(List<StreamStats> streams) {
        return new ErrorStats(streams.stream().mapToLong(StreamStats::errorCount).sum(), invalid.current().size());
    }

    public Detailed detailed() {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Summary s = summary();
        List<StreamStats> streams = streams();
        List<ClientStats> clients = clients();
        return new Detailed(s, pool(), failovers(), performance(s), errors(streams), streams.size(), clients.size(),
                s, streams, clients, new Relay(relays.openUpstreams(), relays.playerSkips()),
                new Hls(playlists.upstreamFetches(), playlists.sharedFetches()), webhooks.stats(),
                invalid.current().size(),
                new Jvm(ManagementFactory.getThreadMXBean().getThreadCount(), heap.getUsed(), heap.getMax()));
    }
}
