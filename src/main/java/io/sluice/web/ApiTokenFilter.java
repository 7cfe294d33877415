package io.sluice.web;

import io.sluice.config.Settings;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import java.util.Set;

/** SPEC 3.1: with {@code API_TOKEN} set, every management route needs it; probes stay public. */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ApiTokenFilter implements ContainerRequestFilter {
    static final String MISSING =
            "API token required. Provide token via X-API-Token header or api_token query parameter.";
    static final String WRONG = "Invalid API token";
    private static final Set<String> PUBLIC_PATHS = Set.of("health/live", "health/ready", "console", "openapi.json");
    /** A broadcast's playlist and segments are player routes (SPEC 4, 12.1). */
    private static final java.util.regex.Pattern PUBLIC_BROADCAST =
            java.util.regex.Pattern.compile("broadcast/[^/]+/(live\\.m3u8|segment/[^/]+|live[0-9]+\\.ts)");

    @Inject
    Settings settings;

    @Override
    public void filter(ContainerRequestContext ctx) {
        Optional<String> expected = settings.apiToken();
        String path = ctx.getUriInfo().getPath();
        if (expected.isEmpty() || "OPTIONS".equals(ctx.getMethod()) || isPublic(path)
                || (settings.metricsPublic() && normalised(path).equals("metrics"))) {
            return;
        }
        String presented = presentedToken(ctx);
        if (presented == null) {
            ctx.abortWith(Response.fromResponse(Problems.of(401, MISSING))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
        } else if (!ApiTokens.matches(expected.get(), presented)) {
            ctx.abortWith(Problems.of(403, WRONG));
        }
    }

    private static boolean isPublic(String path) {
        String p = normalised(path);
        return PUBLIC_PATHS.contains(p) || PUBLIC_BROADCAST.matcher(p).matches();
    }

    private static String normalised(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** Header wins over query; JAX-RS header lookup is already case-insensitive. */
    private static String presentedToken(ContainerRequestContext ctx) {
        String header = ctx.getHeaderString("X-API-Token");
        if (header != null && !header.isEmpty()) {
            return header;
        }
        String auth = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && auth.length() > 7) {
            return auth.substring(7).trim();
        }
        String query = ctx.getUriInfo().getQueryParameters().getFirst("api_token");
        return query == null || query.isEmpty() ? null : query;
    }
}
