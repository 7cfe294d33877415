package io.sluice.events;

import java.time.Duration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

/**
 * The one way to announce a state change. Synchronous observers must be quick and never throw (they run on
 * the caller's thread, possibly a streaming one); anything slow observes asynchronously.
 */
@ApplicationScoped
public class Events {
    @Inject
    Event<SluiceEvent> bus;

    public void fire(SluiceEvent event) {
        bus.fire(event);
        bus.fireAsync(event);
    }

    @Inject
    Event<Measured> measurements;

    /** A timing for metrics; observers must be quick (this runs on the streaming thread). */
    public void measured(Measured.Kind kind, Duration duration) {
        measurements.fire(new Measured(kind, duration));
    }
}
