package io.sluice.ops;

import io.sluice.hls.PlaylistFetcher;
import io.sluice.relay.LiveRelays;
import io.sluice.sources.InvalidSources;
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
import java.util.List;

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

    public record Summary(String version, String startedAt, long uptimeSeconds, int totalStreams, int activeStreams,
                          int totalClients, long totalBytesServed, long totalSegmentsServed,
                          int upstreamConnectionsOpen) {
    }

    public record Relay(int upstreamConnectionsOpen, long playerSkips) {
    }

    public record Hls(long playlistUpstreamFetches, long playlistSharedFetches) {
    }

    public record Jvm(int threads, long heapUsedBytes, long heapMaxBytes) {
    }

    public record Detailed(Summary proxy, List<StreamStats> streams, List<ClientStats> clients, Relay relay, Hls hls,
                           List<WebhookStats> webhooks, int invalidSources, Jvm jvm) {
    }

    public List<StreamStats> streams() {
        return registry.oldestFirst().stream().map(Stream::stats).toList();
    }

    public List<ClientStats> clients() {
        return registry.all().stream().flatMap(s -> s.clientStats().stream()).toList();
    }

    public Summary summary() {
        List<StreamStats> streams = streams();
        return new Summary(VERSION, Times.iso(uptime.started()), uptime.seconds(), streams.size(),
                (int) streams.stream().filter(StreamStats::isActive).count(),
                streams.stream().mapToInt(StreamStats::clientCount).sum(),
                streams.stream().mapToLong(StreamStats::totalBytesServed).sum(),
                streams.stream().mapToLong(StreamStats::totalSegmentsServed).sum(), relays.openUpstreams());
    }

    public Detailed detailed() {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Detailed(summary(), streams(), clients(), new Relay(relays.openUpstreams(), relays.playerSkips()),
                new Hls(playlists.upstreamFetches(), playlists.sharedFetches()), webhooks.stats(),
                invalid.current().size(),
                new Jvm(ManagementFactory.getThreadMXBean().getThreadCount(), heap.getUsed(), heap.getMax()));
    }
}
