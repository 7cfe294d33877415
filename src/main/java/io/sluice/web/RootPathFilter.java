package io.sluice.web;

import io.sluice.config.Settings;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;

/** Lets every management route also answer under {@code ROOT_PATH}, as m3u-proxy's do. */
@Provider
@PreMatching
@Priority(100)
public class RootPathFilter implements ContainerRequestFilter {
    @Inject
    Settings settings;

    @Override
    public void filter(ContainerRequestContext ctx) {
        String prefix = settings.rootPath().substring(1); // relative to the application base
        String path = ctx.getUriInfo().getPath(false);
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (path.equals(prefix) || path.startsWith(prefix + "/")) {
            String rest = path.substring(prefix.length());
            URI base = ctx.getUriInfo().getBaseUri();
            URI stripped = UriBuilder.fromUri(ctx.getUriInfo().getRequestUri())
                    .replacePath(base.getRawPath() + (rest.startsWith("/") ? rest.substring(1) : rest))
                    .build();
            ctx.setRequestUri(base, stripped);
        }
    }
}
