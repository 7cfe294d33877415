package io.sluice.webhooks;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** A registered webhook (m3u-proxy's shape plus an optional signing secret). Empty {@code events} = all. */
public record WebhookSpec(String url, Set<String> events, Map<String, String> headers, Duration timeout,
                          int retryAttempts, String secret) {
    public WebhookSpec {
        events = Set.copyOf(events);
        headers = Map.copyOf(headers);
    }

    boolean wants(String eventType) {
        return events.isEmpty() || events.contains(eventType);
    }
}
