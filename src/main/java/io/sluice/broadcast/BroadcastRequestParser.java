package io.sluice.broadcast;

import io.sluice.config.Settings;
import io.sluice.streams.SourceUrls;
import io.sluice.streams.StreamRequestParser;
import io.sluice.streams.StreamSpec;
import io.sluice.web.ApiException;
import io.sluice.web.JsonText;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks a broadcast start body: 422 naming the field for anything wrong, never a 500. */
public final class BroadcastRequestParser {
    static final int MAX_SEGMENT_DURATION = 30;
    static final int MAX_LIST_SIZE = 100;
    private static final Pattern BITRATE = Pattern.compile("[0-9]{1,6}[kKmM]?");
    private static final Pattern RESOLUTION = Pattern.compile("(-?[0-9]{1,5})[x:](-?[0-9]{1,5})");
    private static final Pattern WORD = Pattern.compile("[a-z0-9_]{1,32}");

    private final Settings settings;

    public BroadcastRequestParser(Settings settings) {
        this.settings = settings;
    }

    public BroadcastRequest parse(JsonValue body) {
        if (body == null || body.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ApiException.badInput("the body must be a JSON object");
        }
        JsonObject o = body.asJsonObject();
        if (!o.containsKey("stream_url") || o.isNull("stream_url")) {
            throw ApiException.badInput("stream_url is required");
        }
        String url = SourceUrls.check("stream_url", StreamRequestParser.optionalString(o, "stream_url"));
        String callback = StreamRequestParser.optionalString(o, "callback_url");
        if (callback != null) {
            SourceUrls.check("callback_url", callback);
        }
        StreamSpec checked = headersAndMetadata(o, url);
        String resolution = word(o, "video_resolution", RESOLUTION);
        return new BroadcastRequest(url,
                integer(o, "seek_seconds", 0, 0, 366 * 24 * 3600),
                integer(o, "duration_seconds", 0, 0, 366 * 24 * 3600),
                integer(o, "segment_start_number", 0, 0, 999_999_999),
                bool(o, "add_discontinuity"),
                integer(o, "segment_duration", 6, 1, MAX_SEGMENT_DURATION),
                integer(o, "hls_list_size", 20, 1, MAX_LIST_SIZE),
                bool(o, "transcode"),
                bitrate(o),
                integer(o, "audio_bitrate", 192, 8, 1024),
                resolution == null ? null : resolution.replace('x', ':'),
                word(o, "video_codec", WORD),
                word(o, "audio_codec", WORD),
                word(o, "preset", WORD),
                word(o, "hwaccel", WORD),
                callback,
                checked.headers(),
                bool(o, "dvr_mode"),
                checked.metadata());
    }

    /** The stream parser's own checks of headers and metadata, with this body's field names. */
    private StreamSpec headersAndMetadata(JsonObject o, String url) {
        JsonObjectBuilder b = JsonText.JSON.createObjectBuilder().add("url", url);
        for (String f : new String[] {"headers", "metadata"}) {
            if (o.containsKey(f)) {
                b.add(f, o.get(f));
            }
        }
        return new StreamRequestParser(settings).parse(b.build());
    }

    private static int integer(JsonObject o, String field, int fallback, int min, int max) {
        if (!o.containsKey(field) || o.isNull(field)) {
            return fallback;
        }
        JsonValue v = o.get(field);
        long n;
        if (v.getValueType() == JsonValue.ValueType.NUMBER && ((JsonNumber) v).isIntegral()) {
            n = ((JsonNumber) v).longValue();
        } else if (v.getValueType() == JsonValue.ValueType.NUMBER) {
            n = (long) Math.floor(((JsonNumber) v).doubleValue()); // the editor may send a float offset
        } else {
            throw ApiException.badInput(field + " must be a whole number");
        }
        if (n < min || n > max) {
            throw ApiException.badInput(field + " must be from " + min + " to " + max);
        }
        return (int) n;
    }

    private static boolean bool(JsonObject o, String field) {
        if (!o.containsKey(field) || o.isNull(field)) {
            return false;
        }
        JsonValue v = o.get(field);
        if (v == JsonValue.TRUE || v == JsonValue.FALSE) {
            return v == JsonValue.TRUE;
        }
        throw ApiException.badInput(field + " must be true or false");
    }

    private static String bitrate(JsonObject o) {
        if (!o.containsKey("video_bitrate") || o.isNull("video_bitrate")) {
            return null;
        }
        JsonValue v = o.get("video_bitrate");
        String s = v.getValueType() == JsonValue.ValueType.NUMBER ? v.toString()
                : v.getValueType() == JsonValue.ValueType.STRING ? o.getString("video_bitrate").trim() : null;
        if (s == null || !BITRATE.matcher(s).matches()) {
            throw ApiException.badInput("video_bitrate must be kbit/s (e.g. 2500) or a rate such as 2500k");
        }
        // m3u-proxy appends "k" to a plain number.
        return Character.isDigit(s.charAt(s.length() - 1)) ? s + "k" : s;
    }

    private static String word(JsonObject o, String field, Pattern shape) {
        String s = StreamRequestParser.optionalString(o, field);
        if (s == null || s.isBlank()) {
            return null;
        }
        s = s.trim().toLowerCase(Locale.ROOT);
        if (!shape.matcher(s).matches()) {
            throw ApiException.badInput(field + " has an unexpected form: '" + (s.length() > 32 ? s.substring(0, 32) : s) + "'");
        }
        return s;
    }
}
