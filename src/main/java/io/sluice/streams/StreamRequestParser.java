package io.sluice.streams;

import io.sluice.config.Settings;
import io.sluice.web.ApiException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a {@code POST /streams} body into a {@link StreamSpec}. Hand-checked rather than bound, so every
 * wrong type is a 422 that names its field instead of a coerced value or a generic binding error.
 */
public final class StreamRequestParser {
    private static final int MAX_FAILOVER_URLS = 50;
    private static final int MAX_MAP_ENTRIES = 100;
    private static final int MAX_VALUE_LENGTH = 4096;
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");

    private final Settings settings;

    public StreamRequestParser(Settings settings) {
        this.settings = settings;
    }

    public StreamSpec parse(JsonValue body) {
        if (body == null || body.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ApiException.badInput("Request body must be a JSON object");
        }
        JsonObject o = body.asJsonObject();
        if (!o.containsKey("url") || o.isNull("url")) {
            throw ApiException.badInput("url is required");
        }
        String url = SourceUrls.check("url", string(o, "url"));
        List<String> failovers = failoverUrls(o);
        String resolver = optionalString(o, "failover_resolver_url");
        if (resolver != null) {
            SourceUrls.check("failover_resolver_url", resolver);
        }
        String userAgent = optionalString(o, "user_agent");
        if (userAgent != null && (userAgent.length() > MAX_VALUE_LENGTH || hasLineBreak(userAgent))) {
            throw ApiException.badInput("user_agent must be one line of at most " + MAX_VALUE_LENGTH + " characters");
        }
        Map<String, String> headers = headers(o);
        Map<String, String> metadata = metadata(o);
        boolean sticky = bool(o, "use_sticky_session", settings.useStickySession());
        boolean shared = bool(o, "shared_upstream", settings.sharedUpstream());
        boolean strict = bool(o, "strict_live_ts", false);
        StreamKind kind = kind(o, url);
        return new StreamSpec(url, failovers, resolver,
                userAgent == null || userAgent.isBlank() ? settings.defaultUserAgent() : userAgent,
                headers, metadata, sticky, shared, strict, kind, null, silence(o));
    }

    private static String string(JsonObject o, String field) {
        JsonValue v = o.get(field);
        if (v.getValueType() != JsonValue.ValueType.STRING) {
            throw ApiException.badInput(field + " must be a string");
        }
        return ((JsonString) v).getString();
    }

    /** A string field that may be absent or null; any other type is a 422 naming the field. */
    public static String optionalString(JsonObject o, String field) {
        return !o.containsKey(field) || o.isNull(field) ? null : string(o, field);
    }

    private static boolean bool(JsonObject o, String field, boolean fallback) {
        if (!o.containsKey(field) || o.isNull(field)) {
            return fallback;
        }
        JsonValue v = o.get(field);
        if (v == JsonValue.TRUE) {
            return true;
        }
        if (v == JsonValue.FALSE) {
            return false;
        }
        throw ApiException.badInput(field + " must be true or false");
    }

    /** m3u-proxy's per-stream silence detection fields: kept as sent (checked for type and range), never refused. */
    static SilenceDetection silence(JsonObject o) {
        Boolean enabled = o.containsKey("enable_silence_detection") && !o.isNull("enable_silence_detection")
                ? bool(o, "enable_silence_detection", false) : null;
        Double threshold = number(o, "silence_threshold_db", -120, 0);
        Double duration = number(o, "silence_duration", 0.1, 600);
        Double interval = number(o, "silence_check_interval", 0.5, 3600);
        Double failovers = number(o, "silence_failover_threshold", 1, 1000);
        if (failovers != null && failovers != Math.rint(failovers)) {
            throw ApiException.badInput("silence_failover_threshold must be a whole number");
        }
        Double grace = number(o, "silence_monitoring_grace_period", 0, 3600);
        if (enabled == null && threshold == null && duration == null && interval == null && failovers == null
                && grace == null) {
            return null;
        }
        return new SilenceDetection(enabled, threshold, duration, interval,
                failovers == null ? null : failovers.intValue(), grace);
    }

    /** A number, or a string holding one (as m3u-proxy's model coerces it), within bounds; absent or null is null. */
    private static Double number(JsonObject o, String field, double min, double max) {
        if (!o.containsKey(field) || o.isNull(field)) {
            return null;
        }
        JsonValue v = o.get(field);
        double d;
        if (v.getValueType() == JsonValue.ValueType.NUMBER) {
            d = ((JsonNumber) v).doubleValue();
        } else if (v.getValueType() == JsonValue.ValueType.STRING) {
            try {
                d = Double.parseDouble(((JsonString) v).getString().trim());
            } catch (NumberFormatException e) {
                throw ApiException.badInput(field + " must be a number");
            }
        } else {
            throw ApiException.badInput(field + " must be a number");
        }
        if (!(d >= min && d <= max)) {
            throw ApiException.badInput(field + " must be between " + min + " and " + max);
        }
        return d;
    }

    private static List<String> failoverUrls(JsonObject o) {
        if (!o.containsKey("failover_urls") || o.isNull("failover_urls")) {
            return List.of();
        }
        if (o.get("failover_urls").getValueType() != JsonValue.ValueType.ARRAY) {
            throw ApiException.badInput("failover_urls must be an array of URLs");
        }
        JsonArray a = o.getJsonArray("failover_urls");
        if (a.size() > MAX_FAILOVER_URLS) {
            throw ApiException.badInput("failover_urls holds at most " + MAX_FAILOVER_URLS + " URLs");
        }
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String field = "failover_urls[" + i + "]";
            JsonValue v = a.get(i);
            if (v.getValueType() != JsonValue.ValueType.STRING) {
                throw ApiException.badInput(field + " must be a string");
            }
            urls.add(SourceUrls.check(field, ((JsonString) v).getString()));
        }
        return urls;
    }

    private static Map<String, String> headers(JsonObject o) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : object(o, "headers").entrySet()) {
            String field = "headers." + e.getKey();
            if (!HEADER_NAME.matcher(e.getKey()).matches()) {
                throw ApiException.badInput(field + " is not a valid header name");
            }
            if (e.getValue().getValueType() == JsonValue.ValueType.NULL) {
                continue; // M3U Editor sends a header whose value it does not have as null: none is sent
            }
            if (e.getValue().getValueType() != JsonValue.ValueType.STRING) {
                throw ApiException.badInput(field + " must be a string");
            }
            String value = ((JsonString) e.getValue()).getString();
            if (value.length() > MAX_VALUE_LENGTH || hasLineBreak(value)) {
                throw ApiException.badInput(field + " must be one line of at most " + MAX_VALUE_LENGTH + " characters");
            }
            out.put(e.getKey(), value);
        }
        return out;
    }

    /** Scalars only, stored as strings (m3u-proxy compares metadata as strings). */
    private static Map<String, String> metadata(JsonObject o) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : object(o, "metadata").entrySet()) {
            String field = "metadata." + e.getKey();
            JsonValue v = e.getValue();
            String s = switch (v.getValueType()) {
                case STRING -> ((JsonString) v).getString();
                case NUMBER -> ((JsonNumber) v).toString();
                case TRUE -> "true";
                case FALSE -> "false";
                case NULL -> null;
                default -> throw ApiException.badInput(field + " must be a string, number or boolean, not "
                        + v.getValueType().name().toLowerCase(Locale.ROOT));
            };
            if (s != null) {
                if (s.length() > MAX_VALUE_LENGTH || e.getKey().length() > 256) {
                    throw ApiException.badInput(field + " is too long");
                }
                out.put(e.getKey(), s);
            }
        }
        return out;
    }

    private static JsonObject object(JsonObject o, String field) {
        if (!o.containsKey(field) || o.isNull(field)) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        if (o.get(field).getValueType() != JsonValue.ValueType.OBJECT) {
            throw ApiException.badInput(field + " must be an object");
        }
        JsonObject m = o.getJsonObject(field);
        if (m.size() > MAX_MAP_ENTRIES) {
            throw ApiException.badInput(field + " holds at most " + MAX_MAP_ENTRIES + " entries");
        }
        return m;
    }

    /** {@code stream_type}: "hls", "live", "vod", or "direct"/absent to detect from the URL. */
    private static StreamKind kind(JsonObject o, String url) {
        String t = optionalString(o, "stream_type");
        if (t == null) {
            return StreamKind.detect(url);
        }
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "hls" -> StreamKind.HLS;
            case "live", "ts" -> StreamKind.LIVE_TS;
            case "vod" -> StreamKind.VOD;
            case "direct", "auto" -> {
                StreamKind k = StreamKind.detect(url);
                yield k == StreamKind.HLS ? StreamKind.LIVE_TS : k;
            }
            default -> throw ApiException.badInput("stream_type must be one of hls, live, vod, direct");
        };
    }

    private static boolean hasLineBreak(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\0') >= 0;
    }
}
