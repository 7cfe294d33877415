package io.sluice.webhooks;

import io.sluice.streams.SourceUrls;
import io.sluice.web.ApiException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code POST /webhooks} bodies, checked field by field (422 naming the field). */
final class WebhookRequestParser {
    static final Set<String> EVENT_TYPES = Set.of("stream_started", "stream_stopped", "stream_failed",
            "client_connected", "client_disconnected", "failover_triggered", "sticky_session_locked",
            "sticky_session_reverted", "source_marked_invalid", "webhook_test");

    private WebhookRequestParser() {
    }

    static WebhookSpec parse(JsonValue body) {
        if (body == null || body.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ApiException.badInput("Request body must be a JSON object");
        }
        JsonObject o = body.asJsonObject();
        if (!o.containsKey("url") || o.get("url").getValueType() != JsonValue.ValueType.STRING) {
            throw ApiException.badInput("url is required and must be a string");
        }
        String url = SourceUrls.check("url", o.getString("url"));
        Set<String> events = new TreeSet<>();
        if (o.containsKey("events") && !o.isNull("events")) {
            if (o.get("events").getValueType() != JsonValue.ValueType.ARRAY) {
                throw ApiException.badInput("events must be an array of event names");
            }
            int i = 0;
            for (JsonValue v : o.getJsonArray("events")) {
                if (v.getValueType() != JsonValue.ValueType.STRING
                        || !EVENT_TYPES.contains(((JsonString) v).getString())) {
                    throw ApiException.badInput("events[" + i + "] must be one of " + new TreeSet<>(EVENT_TYPES));
                }
                events.add(((JsonString) v).getString());
                i++;
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (o.containsKey("headers") && !o.isNull("headers")) {
            if (o.get("headers").getValueType() != JsonValue.ValueType.OBJECT) {
                throw ApiException.badInput("headers must be an object of strings");
            }
            for (Map.Entry<String, JsonValue> e : o.getJsonObject("headers").entrySet()) {
                if (e.getValue().getValueType() != JsonValue.ValueType.STRING
                        || !e.getKey().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}")) {
                    throw ApiException.badInput("headers." + e.getKey() + " must be a string under a valid name");
                }
                String v = ((JsonString) e.getValue()).getString();
                if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0 || v.length() > 4096) {
                    throw ApiException.badInput("headers." + e.getKey() + " must be one line");
                }
                headers.put(e.getKey(), v);
            }
        }
        double timeout = number(o, "timeout", 10, 0.1, 120);
        int retries = (int) number(o, "retry_attempts", 3, 0, 10);
        String secret = null;
        if (o.containsKey("secret") && !o.isNull("secret")) {
            if (o.get("secret").getValueType() != JsonValue.ValueType.STRING || o.getString("secret").length() > 1024) {
                throw ApiException.badInput("secret must be a string of at most 1024 characters");
            }
            secret = o.getString("secret");
        }
        return new WebhookSpec(url, events, headers, Duration.ofMillis((long) (timeout * 1000)), retries, secret);
    }

    private static double number(JsonObject o, String field, double fallback, double min, double max) {
        if (!o.containsKey(field) || o.isNull(field)) {
            return fallback;
        }
        if (o.get(field).getValueType() != JsonValue.ValueType.NUMBER) {
            throw ApiException.badInput(field + " must be a number");
        }
        double d = ((JsonNumber) o.get(field)).doubleValue();
        if (d < min || d > max) {
            throw ApiException.badInput(field + " must be from " + min + " to " + max);
        }
        return d;
    }
}
