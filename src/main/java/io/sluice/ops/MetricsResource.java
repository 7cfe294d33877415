package io.sluice.ops;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** {@code GET /metrics}: Prometheus text format; needs the token unless {@code METRICS_PUBLIC=true}. */
@Path("metrics")
@RequestScoped
public class MetricsResource {
    @Inject
    Metrics metrics;

    @GET
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public String scrape() {
        return metrics.scrape();
    }
}
