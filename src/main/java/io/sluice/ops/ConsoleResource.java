package io.sluice.ops;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * {@code GET /console}: the operations console, one self-contained page (no CDN, works offline). It holds no
 * data itself: it asks for the token and then uses the REST API and the event feed like any client.
 */
@Path("console")
public class ConsoleResource {
    @GET
    @Produces("text/html; charset=utf-8")
    public Response page() {
        InputStream page = ConsoleResource.class.getResourceAsStream("console.html");
        return Response.ok(page).header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                        + "script-src 'self' 'unsafe-inline'; img-src 'self' data:")
                .build();
    }
}
