package io.sluice.store;

import io.sluice.config.Settings;
import io.sluice.support.DaemonThreads;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Loads the shared store's state at start and keeps this instance in line with it (SPEC 14). Nothing runs for
 * the memory store. One thread, one pass at a time; a pass that finds the store down is logged once per outage
 * and tried again on the next tick.
 */
@ApplicationScoped
public class StoreSync {
    private static final Logger LOG = Logger.getLogger(StoreSync.class.getName());

    @Inject
    Store store;
    @Inject
    Settings settings;
    @Inject
    @Any
    Instance<StoreReplica> replicas;

    private ScheduledExecutorService timer;
    private volatile boolean outage;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        if (!store.shared()) {
            return;
        }
        timer = DaemonThreads.timer("sluice-store-sync");
        long every = Math.max(1, settings.storeSyncInterval().toMillis());
        timer.scheduleWithFixedDelay(this::pass, 0, every, TimeUnit.MILLISECONDS);
    }

    /** False from a failed pass until the next one that succeeds; the memory store is always up. */
    public boolean storeUp() {
        return !outage;
    }

    /** Before any bean goes (the store among them), so that no pass meets a closed store and reports an outage. */
    void beforeShutdown(@Observes @BeforeDestroyed(ApplicationScoped.class) Object ignored) {
        stop();
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                // A pass under way ends within a few store calls' timeouts.
                timer.awaitTermination(settings.storeTimeout().toMillis() * 3 + 500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void pass() {
        long snapshotStart = System.nanoTime();
        try {
            for (StoreReplica replica : replicas) {
                replica.refresh(store, snapshotStart);
            }
            Tombstones.prune(store, store.all(Bucket.REMOVED));
            if (outage) {
                outage = false;
                LOG.info("Store reachable again; state taken in from it");
            }
        } catch (StoreUnavailableException e) {
            if (!outage) {
                outage = true;
                LOG.warning("Store unreachable; this instance keeps serving what it has and will look again");
            }
        } catch (RuntimeException e) {
            // One bad pass must not end the timer (a thrown exception would cancel the schedule).
            LOG.warning(() -> "Store sync pass failed: " + e);
        }
    }
}
