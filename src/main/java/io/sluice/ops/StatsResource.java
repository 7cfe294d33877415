package io.sluice.ops;

import io.sluice.streams.ClientStats;
import io.sluice.streams.StreamStats;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** m3u-proxy's stats routes (SPEC 3.2, 13). */
@Path("stats")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {
    @Inject
    ProxyStats stats;

    /** m3u-proxy's {@code total_streams}; {@code total} is Sluice's earlier name. */
    public record StreamsView(int totalStreams, List<StreamStats> streams, int total) {
    }

    /** m3u-proxy's {@code total_clients} (M3U Editor reads it); {@code total} is Sluice's earlier name. */
    public record ClientsView(int totalClients, List<ClientStats> clients, int total) {
        public static ClientsView of(List<ClientStats> all) {
            return new ClientsView(all.size(), all, all.size());
        }
    }

    /** m3u-proxy's {@code /stats}: the proxy figures, flattened, with the streams and clients. */
    public record Overview(String version, String startedAt, long uptimeSeconds, int totalStreams, int activeStreams,
                           int totalClients, int activeClients, long totalBytesServed, long totalSegmentsServed,
                           int upstreamConnectionsOpen, List<StreamStats> streams, List<ClientStats> clients) {
    }

    @GET
    public Overview summary() {
        ProxyStats.Summary s = stats.summary();
        return new Overview(s.version(), s.startedAt(), s.uptimeSeconds(), s.totalStreams(), s.activeStreams(),
                s.totalClients(), s.activeClients(), s.totalBytesServed(), s.totalSegmentsServed(),
                s.upstreamConnectionsOpen(), stats.streams(), stats.clients());
    }

    @GET
    @Path("streams")
    public StreamsView streams() {
        List<StreamStats> all = stats.streams();
        return new StreamsView(all.size(), all, all.size());
    }

    @GET
    @Path("clients")
    public ClientsView clients() {
        return ClientsView.of(stats.clients());
    }

    @GET
    @Path("performance")
    public ProxyStats.PerformanceView performance() {
        return stats.performance();
    }

    @GET
    @Path("detailed")
    public ProxyStats.Detailed detailed() {
        return stats.detailed();
    }
}
