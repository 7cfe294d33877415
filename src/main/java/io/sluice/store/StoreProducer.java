package io.sluice.store;

import io.sluice.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** The store {@code STORE} names, one per deployment, closed when the application stops. */
@ApplicationScoped
public class StoreProducer {
    @Produces
    @ApplicationScoped
    Store store(Settings settings) {
        if (settings.store().equals("redis")) {
            // Nothing is asked of Redis here: Sluice starts while Redis is down, and readiness says so.
            return new RedisStore(settings.redisUrl().orElseThrow(), settings.storeTimeout());
        }
        return new MemoryStore();
    }

    void close(@Disposes Store store) {
        store.close();
    }
}
