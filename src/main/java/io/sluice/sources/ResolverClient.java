package io.sluice.sources;

import static io.sluice.web.JsonText.JSON;

import io.sluice.config.Settings;
import io.sluice.upstream.UpstreamClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * The failover resolver callback (SPEC 9.6): {@code POST <resolver>} with what failed, answered by
 * {@code {"next_url": "..."}}. Anything else (non-2xx, no URL, a bad URL, a timeout) means no failover.
 */
@ApplicationScoped
public class ResolverClient {
    private static final Logger LOG = Logger.getLogger(ResolverClient.class.getName());

    @Inject
    UpstreamClient upstream;
    @Inject
    Settings settings;

    public CompletableFuture<Optional<String>> nextUrl(String resolverUrl, String currentUrl,
                                                       Map<String, String> metadata, int failoverIndex,
                                                       int statusCode, String reason) {
        JsonObjectBuilder meta = JSON.createObjectBuilder();
        metadata.forEach(meta::add);
        JsonObject body = JSON.createObjectBuilder()
                .add("current_url", currentUrl)
                .add("metadata", meta)
                .add("current_failover_index", failoverIndex)
                .add("status_code", statusCode == 0 ? JsonValue.NULL : JSON.createValue(statusCode))
                .add("reason", reason)
                .build();
        return upstream.postJson(URI.create(resolverUrl), body.toString(), settings.resolverTimeout())
                .handle((r, error) -> {
                    if (error != null || r.status() < 200 || r.status() > 299 || r.truncated()) {
                        LOG.info(() -> "resolver gave no next source: " + (error != null
                                ? error.getClass().getSimpleName()
                                : r.truncated() ? "answer too large" : "HTTP " + r.status()));
                        return Optional.<String>empty();
                    }
                    return parse(r.bodyText());
                });
    }

    static Optional<String> parse(String body) {
        if (body == null || body.length() > 64 * 1024) {
            return Optional.empty();
        }
        try {
            JsonValue v = JSON.createReader(new StringReader(body)).readValue();
            if (v.getValueType() != JsonValue.ValueType.OBJECT) {
                return Optional.empty();
            }
            JsonObject o = v.asJsonObject();
            if (!o.containsKey("next_url") || o.get("next_url").getValueType() != JsonValue.ValueType.STRING) {
                return Optional.empty();
            }
            String next = o.getString("next_url");
            URI u = new URI(next);
            boolean http = "http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme());
            return http && u.getHost() != null ? Optional.of(next) : Optional.empty();
        } catch (RuntimeException | java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }
}
