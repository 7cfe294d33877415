package io.sluice.transcode;

import io.sluice.config.Settings;
import io.sluice.streams.StreamRequestParser;
import io.sluice.streams.StreamSpec;
import io.sluice.streams.TranscodeSpec;
import io.sluice.web.ApiException;
import io.sluice.web.JsonText;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@code POST /transcode} body into a transcoded {@link StreamSpec}: the source fields as for
 * {@code POST /streams}, then the profile. An unknown profile name is a 400 listing the known ones (as
 * m3u-proxy answers); anything else wrong is a 422 naming the field.
 */
public final class TranscodeRequestParser {
    private final Settings settings;

    public TranscodeRequestParser(Settings settings) {
        this.settings = settings;
    }

    public StreamSpec parse(JsonValue body) {
        StreamSpec source = new StreamRequestParser(settings).parse(body); // checks the body is an object
        JsonObject o = body.asJsonObject();
        String format = StreamRequestParser.optionalString(o, "output_format");
        if (format != null && !List.of("mpegts", "ts").contains(format.toLowerCase(Locale.ROOT))) {
            throw ApiException.badInput("output_format must be mpegts: Sluice relays transcoded streams as MPEG-TS");
        }
        Map<String, String> variables = variables(o);
        String given = StreamRequestParser.optionalString(o, "profile");
        String profile = given == null || given.isBlank() ? "default" : given.trim();
        String name;
        String template;
        if (profile.startsWith("-")) {
            name = "custom";
            template = profile;
        } else {
            TranscodeProfile known = TranscodeProfiles.named(profile).orElseThrow(() -> new ApiException(400,
                    "Profile '" + clip(profile) + "' not found. Available profiles: " + TranscodeProfiles.names()));
            name = known.name();
            template = known.parameters();
        }
        FfmpegArguments.Checked checked;
        try {
            checked = FfmpegArguments.checked(template, variables);
        } catch (IllegalArgumentException e) {
            throw ApiException.badInput(e.getMessage());
        }
        TranscodeSpec.HlsOutput hls = checked.hls() == null ? null
                : new TranscodeSpec.HlsOutput(checked.hls().segmentSeconds(), checked.hls().listSize());
        TranscodeSpec how = new TranscodeSpec(name, variables, checked.output(), checked.input(), hls);
        return source.transcoded(how).withMetadata(marked(how, source.metadata()));
    }

    /**
     * m3u-proxy's marks on a transcoded stream's metadata, which M3U Editor's reuse lookup and monitor read
     * ({@code transcoding: "true"}); the caller's own keys (the editor's {@code profile_id}) win, as there.
     */
    static Map<String, String> marked(TranscodeSpec how, Map<String, String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("transcoding", "true");
        out.put("profile", how.profile());
        var vars = JsonText.JSON.createObjectBuilder();
        new java.util.TreeMap<>(how.variables()).forEach(vars::add);
        out.put("profile_variables", vars.build().toString());
        java.util.List<String> args = new java.util.ArrayList<>(how.inputArguments());
        args.addAll(how.arguments());
        out.put("ffmpeg_args", String.join(" ", args));
        out.putAll(given);
        return out;
    }

    private static Map<String, String> variables(JsonObject o) {
        if (!o.containsKey("profile_variables") || o.isNull("profile_variables")) {
            return Map.of();
        }
        JsonValue v = o.get("profile_variables");
        if (v.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ApiException.badInput("profile_variables must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.asJsonObject().forEach((k, value) -> {
            switch (value.getValueType()) {
                case STRING -> out.put(k, ((JsonString) value).getString());
                case NUMBER -> out.put(k, value.toString());
                default -> throw ApiException.badInput("profile_variables: the value of " + clip(k)
                        + " must be a string or a number");
            }
        });
        return out;
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
