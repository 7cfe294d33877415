package io.sluice.ops;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /clients}: every player session on every stream. */
@Path("clients")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ClientsResource {
    @Inject
    ProxyStats stats;

    @GET
    public StatsResource.ClientsView list() {
        return StatsResource.ClientsView.of(stats.clients());
    }
}
