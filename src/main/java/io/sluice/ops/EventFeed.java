package io.sluice.ops;

import io.sluice.events.SluiceEvent;
import io.sluice.webhooks.Payloads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Live events for consoles: every subscriber gets each event, in the webhook payload shape. */
@ApplicationScoped
public class EventFeed {
    private final Set<EventFeedServlet.Subscriber> subscribers = ConcurrentHashMap.newKeySet();

    void observe(@Observes SluiceEvent event) {
        if (subscribers.isEmpty()) {
            return;
        }
        String frame = "event: " + event.type() + "\ndata: " + Payloads.of(event) + "\n\n";
        subscribers.forEach(s -> s.offer(frame));
    }

    void subscribe(EventFeedServlet.Subscriber s) {
        subscribers.add(s);
    }

    void unsubscribe(EventFeedServlet.Subscriber s) {
        subscribers.remove(s);
    }

    /** A comment line keeps idle connections (and proxies between) from timing out. */
    void keepAlive() {
        subscribers.forEach(s -> s.offer(": keep-alive\n\n"));
    }
}
