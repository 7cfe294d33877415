package io.sluice.webhooks;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A webhook as {@code GET /webhooks} shows it: header values and the secret are never shown. */
public record WebhookStats(String url, List<String> events, Map<String, String> headers, double timeout,
                           int retryAttempts, boolean hasSecret, long delivered, long failed, long dropped,
                           int queued) {
    static WebhookStats of(Webhook h) {
        WebhookSpec s = h.spec();
        Map<String, String> masked = new TreeMap<>();
        s.headers().keySet().forEach(k -> masked.put(k, "***"));
        return new WebhookStats(s.url(), s.events().stream().sorted().toList(), masked,
                s.timeout().toMillis() / 1000.0, s.retryAttempts(), s.secret() != null, h.delivered.get(),
                h.failed.get(), h.dropped.get(), h.queued());
    }
}
