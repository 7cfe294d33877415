package io.sluice.ops;

import io.sluice.config.Settings;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /} and {@code /info}, as m3u-proxy has them ({@code /test-connection} is {@link ConnectionTestResource}). */
@Path("")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
    @Inject
    Settings settings;
    @Inject
    ProxyStats stats;
    @Inject
    ServerInfo serverInfo;

    /** m3u-proxy's {@code GET /} ({@code uptime}, {@code stats}), plus Sluice's {@code name} and {@code uptime_seconds}. */
    public record Root(String status, String message, String version, long uptime, ProxyStats.Summary stats,
                       String name, long uptimeSeconds) {
    }

    @GET
    public Root root() {
        ProxyStats.Summary summary = stats.summary();
        return new Root("running", "Sluice is running", ProxyStats.VERSION, summary.uptimeSeconds(), summary,
                "Sluice", summary.uptimeSeconds());
    }

    @GET
    @Path("info")
    public ServerInfo.Info info() {
        return serverInfo.info();
    }
}
