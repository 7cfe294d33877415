package io.sluice.webhooks;

import java.util.List;
import java.util.Map;

/** The body of {@code POST /webhooks} (SPEC 10), as {@link WebhookRequestParser} reads it. */
public record WebhookRegistration(String url, List<String> events, Map<String, String> headers, Double timeout,
                                  Integer retryAttempts, String secret) {
}
