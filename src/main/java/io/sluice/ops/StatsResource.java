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

    public record StreamsView(List<StreamStats> streams, int total) {
    }

    public record ClientsView(List<ClientStats> clients, int total) {
    }

    @GET
    public ProxyStats.Summary summary() {
        return stats.summary();
    }

    @GET
    @Path("streams")
    public StreamsView streams() {
        List<StreamStats> all = stats.streams();
        return new StreamsView(all, all.size());
    }

    @GET
    @Path("clients")
    public ClientsView clients() {
        List<ClientStats> all = stats.clients();
        return new ClientsView(all, all.size());
    }

    @GET
    @Path("detailed")
    public ProxyStats.Detailed detailed() {
        return stats.detailed();
    }
}
