package io.sluice.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /events/tickets}: a management route (the token in a header, as every other), answering a ticket
 * that opens {@code /sse/events?ticket=...} once (see {@link FeedTickets}).
 */
@Path("events/tickets")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class FeedTicketsResource {
    @Inject
    FeedTickets tickets;

    public record Ticket(String ticket, long expiresIn) {
    }

    @POST
    public Ticket issue() {
        return new Ticket(tickets.issue(), FeedTickets.LIFETIME.toSeconds());
    }
}
