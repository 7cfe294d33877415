package io.sluice.store;

import io.sluice.support.DaemonThreads;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Writes that follow from what streams do (a sticky lock, an invalid-source mark) happen on the threads that move
 * media; a store call there would stall every stream while the store is slow. They go through one thread and a
 * bounded queue instead, best effort: the state they keep is rebuilt by the streams themselves when lost.
 */
@ApplicationScoped
public class StoreWriter {
    private static final Logger LOG = Logger.getLogger(StoreWriter.class.getName());
    private static final int QUEUE = 1000;

    @Inject
    Store store;

    private ThreadPoolExecutor thread;

    @PostConstruct
    void start() {
        thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                DaemonThreads.named("sluice-store-writer"));
    }

    @PreDestroy
    void stop() {
        thread.shutdown();
    }

    public void later(Consumer<Store> write) {
        if (!store.shared()) {
            write.accept(store); // the memory store never blocks
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    write.accept(store);
                } catch (StoreUnavailableException e) {
                    LOG.fine("Store write skipped: store unavailable");
                }
            });
        } catch (RejectedExecutionException full) {
            LOG.fine("Store write skipped: queue full");
        }
    }
}
