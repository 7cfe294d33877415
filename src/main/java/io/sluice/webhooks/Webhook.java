package io.sluice.webhooks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One webhook and its own bounded, ordered delivery queue (SPEC 10): one delivery at a time, retried with
 * exponential backoff and jitter, so a slow or dead webhook only ever delays itself.
 */
final class Webhook {
    private final WebhookSpec spec;
    private final WebhookDispatcher owner;
    private final URI uri;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final int capacity;
    private boolean sending;
    private volatile boolean closed;
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();

    Webhook(WebhookSpec spec, WebhookDispatcher owner, int capacity) {
        this.spec = spec;
        this.owner = owner;
        this.uri = URI.create(spec.url());
        this.capacity = capacity;
    }

    WebhookSpec spec() {
        return spec;
    }

    synchronized int queued() {
        return queue.size();
    }

    /** Queues a payload; when the queue is full it is dropped and counted, never blocking the caller. */
    void offer(String payload) {
        boolean start;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue.size() >= capacity) {
                dropped.incrementAndGet();
                owner.droppedTotal.incrementAndGet();
                return;
            }
            queue.addLast(payload);
            start = !sending;
            sending = true;
        }
        if (start) {
            owner.later(this::pump, 0);
        }
    }

    void close() {
        closed = true;
        synchronized (this) {
            queue.clear();
        }
    }

    private void pump() {
        String next;
        synchronized (this) {
            next = closed ? null : queue.pollFirst();
            if (next == null) {
                sending = false;
                return;
            }
        }
        attempt(next, 0);
    }

    private void attempt(String body, int attempt) {
        send(body).whenComplete((ok, error) -> {
            if (error == null && ok) {
                delivered.incrementAndGet();
                owner.deliveredTotal.incrementAndGet();
                owner.later(this::pump, 0);
            } else if (attempt < spec.retryAttempts() && !closed) {
                owner.later(() -> attempt(body, attempt + 1), backoffMillis(attempt));
            } else {
                failed.incrementAndGet();
                owner.failedTotal.incrementAndGet();
                owner.later(this::pump, 0);
            }
        });
    }

    /** One POST; true for 2xx/3xx. */
    java.util.concurrent.CompletableFuture<Boolean> send(String body) {
        Map<String, String> headers = new LinkedHashMap<>(spec.headers());
        if (spec.secret() != null) {
            headers.put("X-Sluice-Signature", "sha256=" + hmac(spec.secret(), body));
        }
        return owner.client().postJson(uri, body, headers, spec.timeout())
                .thenApply(r -> r.status() >= 200 && r.status() < 400);
    }

    /** base × 2^attempt, ±25% so that many webhooks retrying do not move in lockstep. */
    private long backoffMillis(int attempt) {
        double base = owner.retryBaseMillis() * Math.pow(2, attempt);
        return Math.round(base * (0.75 + ThreadLocalRandom.current().nextDouble() * 0.5));
    }

    static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    static long millis(java.time.Duration d) {
        return TimeUnit.NANOSECONDS.toMillis(d.toNanos());
    }
}
