package io.sluice.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;

/** When this deployment started; uptime in whole seconds as a long, so it never wraps. */
@ApplicationScoped
public class Uptime {
    private final Instant started = Instant.now();

    void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        started.getEpochSecond(); // created at start-up, not at the first request
    }

    public Instant started() {
        return started;
    }

    public long seconds() {
        return Duration.between(started, Instant.now()).getSeconds();
    }
}
