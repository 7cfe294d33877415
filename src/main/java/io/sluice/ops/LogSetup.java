package io.sluice.ops;

import io.sluice.config.Settings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;

/** Applies {@code LOG_FORMAT} to Sluice's own loggers at start-up, and takes its handler away at shutdown. */
@ApplicationScoped
public class LogSetup {
    private static final Logger ROOT = Logger.getLogger("io.sluice");

    @Inject
    Settings settings;

    private Handler handler;

    void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        if ("json".equals(settings.logFormat())) {
            handler = new ConsoleHandler();
            handler.setFormatter(new JsonLogFormatter());
            ROOT.addHandler(handler);
            ROOT.setUseParentHandlers(false);
        }
    }

    @PreDestroy
    void stop() {
        if (handler != null) {
            ROOT.removeHandler(handler);
            ROOT.setUseParentHandlers(true);
            handler.close();
        }
    }
}
