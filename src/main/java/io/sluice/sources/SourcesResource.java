package io.sluice.sources;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** {@code GET/DELETE /sources/invalid} (SPEC 9.7): the sources failover skips for now, and clearing them. */
@Path("sources/invalid")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SourcesResource {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

    @Inject
    InvalidSources invalid;

    public record InvalidSource(String url, int statusCode, String streamId, String markedAt, String until) {
    }

    public record InvalidList(List<InvalidSource> sources, int total) {
    }

    public record Cleared(String message, int cleared) {
    }

    @GET
    public InvalidList list() {
        List<InvalidSource> all = invalid.current().values().stream()
                .map(m -> new InvalidSource(m.url(), m.statusCode(), m.streamId(), ISO.format(m.markedAt()),
                        ISO.format(m.until())))
                .toList();
        return new InvalidList(all, all.size());
    }

    @DELETE
    public Cleared clear() {
        int n = invalid.clear();
        return new Cleared("Cleared " + n + " invalid sources", n);
    }
}
