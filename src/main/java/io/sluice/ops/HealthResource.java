package io.sluice.ops;

import io.sluice.config.Settings;
import io.sluice.store.Store;
import io.sluice.upstream.UpstreamClient;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Health: m3u-proxy's {@code /health}, and {@code /health/live}, {@code /health/ready} in the MicroProfile Health
 * shape (public, for load balancers and orchestrators).
 */
@Path("health")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    @Inject
    ProxyStats stats;
    @Inject
    UpstreamClient upstream;
    @Inject
    Store store;
    @Inject
    Settings settings;

    public record Check(String name, String status) {
    }

    public record Status(String status, List<Check> checks) {
    }

    /** m3u-proxy's {@code /health}, plus Sluice's {@code streams}, {@code clients} and upstream client state. */
    public record Health(String status, String rootPath, String version, long uptimeSeconds, int activeStreams,
                         int activeClients, long totalBytesServed, ProxyStats.Summary stats, int streams, int clients,
                         boolean upstreamClientRunning) {
    }

    @GET
    public Health health() {
        ProxyStats.Summary s = stats.summary();
        return new Health(upstream.isRunning() ? "healthy" : "unhealthy", settings.rootPath(), ProxyStats.VERSION,
                s.uptimeSeconds(), s.activeStreams(), s.activeClients(), s.totalBytesServed(), s, s.totalStreams(),
                s.totalClients(), upstream.isRunning());
    }

    @GET
    @Path("live")
    public Status live() {
        return new Status("UP", List.of(new Check("sluice", "UP")));
    }

    /**
     * Ready when the settings loaded (else the application would not run), the upstream client runs and the store
     * answers (one PING, bounded by {@code STORE_TIMEOUT}, for Redis). A balancer then sends no new streams to an
     * instance that could not keep their registration.
     */
    @GET
    @Path("ready")
    public Response ready() {
        List<Check> checks = List.of(
                new Check("settings", "UP"),
                new Check("upstream-client", upstream.isRunning() ? "UP" : "DOWN"),
                new Check("store", store.reachable() ? "UP" : "DOWN"));
        boolean up = checks.stream().allMatch(c -> c.status().equals("UP"));
        return Response.status(up ? 200 : 503).entity(new Status(up ? "UP" : "DOWN", checks)).build();
    }
}
