package io.sluice.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The last events, newest last, for operators (and the console): bounded, in order of firing. */
@ApplicationScoped
public class RecentEvents {
    static final int KEPT = 500;
    private final ArrayDeque<SluiceEvent> events = new ArrayDeque<>();

    void record(@Observes SluiceEvent event) {
        synchronized (events) {
            if (events.size() == KEPT) {
                events.pollFirst();
            }
            events.addLast(event);
        }
    }

    public List<SluiceEvent> snapshot() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }
}
