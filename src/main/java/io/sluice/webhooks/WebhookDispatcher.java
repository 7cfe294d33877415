package io.sluice.webhooks;

import io.sluice.support.DaemonThreads;
import io.sluice.config.Settings;
import io.sluice.events.SluiceEvent;
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
 * no thread waits on a webhook, and no stream or other webhook waits on a slow one.
 */
@ApplicationScoped
public class WebhookDispatcher {
    @Inject
    Settings settings;
    @Inject
    UpstreamClient client;

    private final ConcurrentHashMap<String, Webhook> hooks = new ConcurrentHashMap<>();
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

    /** Registers or replaces the webhook for its URL. */
    public void register(WebhookSpec spec) {
        Webhook old = hooks.put(spec.url(), new Webhook(spec, this, settings.webhookQueueSize()));
        if (old != null) {
            old.close();
        }
    }

    public boolean remove(String url) {
        Webhook old = hooks.remove(url);
        if (old != null) {
            old.close();
        }
        return old != null;
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
