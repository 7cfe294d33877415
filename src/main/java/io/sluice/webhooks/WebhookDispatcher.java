package io.sluice.webhooks;

import io.sluice.support.DaemonThreads;
import io.sluice.config.Settings;
import io.sluice.events.SluiceEvent;
import io.sluice.store.Bucket;
import io.sluice.store.Documents;
import io.sluice.store.RecentRemovals;
import io.sluice.store.Store;
import io.sluice.store.StoreReplica;
import io.sluice.store.StoreUnavailableException;
import io.sluice.store.Tombstones;
import io.sluice.upstream.UpstreamClient;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers events to webhooks. The observer only hands the event to one intake thread (a bounded queue, in
 * firing order), which builds the payload once and queues it per webhook; sending is asynchronous HTTP, so
 * no thread waits on a webhook, and no stream or other webhook waits on a slow one. Registrations are kept in the
 * store: they survive a restart, and every instance sharing the store delivers to them.
 */
@ApplicationScoped
public class WebhookDispatcher implements StoreReplica {
    private static final long WRITING = Long.MAX_VALUE;

    @Inject
    Settings settings;
    @Inject
    UpstreamClient client;
    @Inject
    Store store;

    private final ConcurrentHashMap<String, Webhook> hooks = new ConcurrentHashMap<>();
    /** When the store last confirmed each webhook ({@link System#nanoTime()}), or {@link #WRITING}. */
    private final ConcurrentHashMap<String, Long> storedAt = new ConcurrentHashMap<>();
    /** Webhooks removed here since the last sync pass began. */
    private final RecentRemovals removedHere = new RecentRemovals();
    private final AtomicLong intakeDropped = new AtomicLong();
    final AtomicLong deliveredTotal = new AtomicLong();
    final AtomicLong failedTotal = new AtomicLong();
    final AtomicLong droppedTotal = new AtomicLong();

    /** Deliveries, failures (retries exhausted) and drops (queue full) since start, over all webhooks. */
    public long[] totals() {
        return new long[]{deliveredTotal.get(), failedTotal.get(), droppedTotal.get() + intakeDropped.get()};
    }
    private ThreadPoolExecutor intake;
    private ScheduledExecutorService timer;

    @PostConstruct
    void start() {
        intake = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.webhookQueueSize()), DaemonThreads.named("sluice-webhook-intake"));
        timer = DaemonThreads.timer("sluice-webhook-timer");
    }

    @PreDestroy
    void stop() {
        hooks.values().forEach(Webhook::close);
        intake.shutdownNow();
        timer.shutdownNow();
    }

    void observe(@Observes SluiceEvent event) {
        if (hooks.isEmpty()) {
            return;
        }
        try {
            intake.execute(() -> fanOut(event));
        } catch (RejectedExecutionException full) {
            intakeDropped.incrementAndGet();
        }
    }

    private void fanOut(SluiceEvent event) {
        String payload = null;
        for (Webhook h : hooks.values()) {
            if (h.spec().wants(event.type())) {
                payload = payload != null ? payload : Payloads.of(event);
                h.offer(payload);
            }
        }
    }

    /** Registers or replaces the webhook for its URL, once the store has it (else throws, and nothing changes). */
    public void register(WebhookSpec spec) {
        String url = spec.url();
        storedAt.put(url, WRITING);
        try {
            Tombstones.clear(store, Bucket.WEBHOOKS, url);
            store.put(Bucket.WEBHOOKS, url, Documents.write(spec));
        } catch (StoreUnavailableException e) {
            if (hooks.containsKey(url)) {
                storedAt.put(url, System.nanoTime()); // the earlier registration stands, as stored before
            } else {
                storedAt.remove(url);
            }
            throw e;
        }
        storedAt.put(url, System.nanoTime());
        install(spec);
    }

    private void install(WebhookSpec spec) {
        Webhook old = hooks.put(spec.url(), new Webhook(spec, this, settings.webhookQueueSize()));
        if (old != null) {
            old.close();
        }
    }

    /** Removes the webhook here and from the store; throws, leaving it registered, when the store cannot. */
    public boolean remove(String url) {
        boolean here = hooks.containsKey(url);
        // Also one registered through another instance a moment ago, not taken in here yet.
        if (!here && !(store.shared() && store.get(Bucket.WEBHOOKS, url).isPresent())) {
            return false;
        }
        if (store.shared()) {
            removedHere.removing(url); // before the store forgets it: a pass under way must not bring it back
        }
        Tombstones.mark(store, Bucket.WEBHOOKS, url);
        store.remove(Bucket.WEBHOOKS, url);
        uninstall(url);
        return true;
    }

    private void uninstall(String url) {
        storedAt.remove(url);
        Webhook old = hooks.remove(url);
        if (old != null) {
            old.close();
        }
    }

    /** Takes in webhooks registered, changed or removed through other instances. */
    @Override
    public void refresh(Store from, long snapshotStart) {
        var stored = from.all(Bucket.WEBHOOKS);
        stored.forEach((url, doc) -> Documents.read(doc, WebhookSpec.class).filter(spec -> spec.url() != null).ifPresent(spec -> {
            Webhook mine = hooks.get(url);
            boolean fresh = mine == null && !removedHere.since(url, snapshotStart);
            boolean changed = mine != null && confirmedBefore(url, snapshotStart) && !mine.spec().equals(spec);
            if (url.equals(spec.url()) && (fresh || changed)) {
                storedAt.put(url, snapshotStart);
                install(spec);
            }
        }));
        var removed = from.all(Bucket.REMOVED); // read after the webhooks: see Tombstones
        for (Webhook mine : hooks.values()) {
            String url = mine.spec().url();
            if (stored.containsKey(url) || !confirmedBefore(url, snapshotStart)) {
                continue;
            }
            if (Tombstones.removed(removed, Bucket.WEBHOOKS, url)) {
                uninstall(url);
            } else {
                from.restore(Bucket.WEBHOOKS, url, Documents.write(mine.spec())); // the store lost it: write it back
            }
        }
        removedHere.passRead(snapshotStart);
    }

    private boolean confirmedBefore(String url, long nanos) {
        Long at = storedAt.get(url);
        return at != null && at != WRITING && at - nanos < 0;
    }

    /** Sends a test event to one webhook now, outside its queue. */
    public Optional<CompletableFuture<Boolean>> test(String url) {
        Webhook h = hooks.get(url);
        return h == null ? Optional.empty() : Optional.of(h.send(Payloads.test(url)));
    }

    public List<WebhookStats> stats() {
        List<WebhookStats> out = new ArrayList<>();
        hooks.values().forEach(h -> out.add(WebhookStats.of(h)));
        out.sort((a, b) -> a.url().compareTo(b.url()));
        return out;
    }

    public long intakeDropped() {
        return intakeDropped.get();
    }

    UpstreamClient client() {
        return client;
    }

    long retryBaseMillis() {
        return Webhook.millis(settings.webhookRetryBaseDelay());
    }

    void later(Runnable task, long delayMillis) {
        try {
            timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the application is stopping
        }
    }
}
