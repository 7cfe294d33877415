package io.sluice.events;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /events?stream_id=&type=}: the recent events (at most 500), oldest first. */
@Path("events")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
    @Inject
    RecentEvents recent;

    /** An event as operators read it: its name, stream, time, and its own fields. */
    public record EventView(String eventType, String streamId, String timestamp, SluiceEvent data) {
    }

    public record EventList(List<EventView> events, int total) {
    }

    @GET
    public EventList list(@QueryParam("stream_id") String streamId, @QueryParam("type") String type) {
        List<EventView> out = recent.snapshot().stream()
                .filter(e -> streamId == null || streamId.equals(e.streamId()))
                .filter(e -> type == null || type.equals(e.type()))
                .map(e -> new EventView(e.type(), e.streamId(), e.at().toString(), e))
                .toList();
        return new EventList(out, out.size());
    }
}
