package io.sluice.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.logging.Logger;

/** Reads the settings once per deployment, and fails the deployment when one is invalid. */
@ApplicationScoped
public class SettingsProducer {
    private static final Logger LOG = Logger.getLogger(SettingsProducer.class.getName());

    // @Singleton (not a normal scope) because a record cannot be proxied.
    @Produces
    @Singleton
    Settings settings() {
        Settings s = Settings.fromEnvironment();
        LOG.info(() -> "Sluice settings: " + s);
        return s;
    }

    /** Forces the settings to load at start-up so a bad value stops the deployment, not the first request. */
    void validateAtStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored, Settings settings) {
        // Loading is the validation; nothing else to do.
    }
}
