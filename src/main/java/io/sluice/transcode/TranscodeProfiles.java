package io.sluice.transcode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in profiles (SPEC 12: m3u-proxy's names). Software encoders only: they work on every machine with
 * Debian's ffmpeg; a hardware encoder can be named in raw arguments. Input and output are Sluice's own (the
 * source URL in, MPEG-TS to the relay out), so profiles hold only what happens in between.
 */
public final class TranscodeProfiles {
    private static final Map<String, TranscodeProfile> BUILT_IN = new LinkedHashMap<>();

    static {
        add("default", "H.264 and AAC at a set bit rate",
                "-c:v libx264 -preset {preset|veryfast} -b:v {video_bitrate|2M} -c:a aac -b:a {audio_bitrate|128k}");
        add("hq", "H.264 at constant quality and AAC",
                "-c:v libx264 -preset {preset|medium} -crf {crf|20} -c:a aac -b:a {audio_bitrate|192k}");
        add("lowlatency", "H.264 tuned for latency: fastest preset, short key-frame interval",
                "-c:v libx264 -preset {preset|ultrafast} -tune zerolatency -g {gop|50} -b:v {video_bitrate|1M} "
                        + "-c:a aac -b:a {audio_bitrate|96k}");
        add("720p", "Scaled to 720 lines, H.264 and AAC",
                "-vf scale=-2:720 -c:v libx264 -preset {preset|veryfast} -b:v {video_bitrate|2500k} "
                        + "-c:a aac -b:a {audio_bitrate|128k}");
        add("1080p", "Scaled to 1080 lines, H.264 and AAC",
                "-vf scale=-2:1080 -c:v libx264 -preset {preset|veryfast} -b:v {video_bitrate|5000k} "
                        + "-c:a aac -b:a {audio_bitrate|192k}");
        add("hevc", "HEVC (H.265) and AAC",
                "-c:v libx265 -preset {preset|veryfast} -b:v {video_bitrate|2M} -c:a aac -b:a {audio_bitrate|128k}");
        add("audio", "Audio only, AAC",
                "-vn -c:a aac -b:a {audio_bitrate|192k}");
    }

    private TranscodeProfiles() {
    }

    private static void add(String name, String description, String parameters) {
        BUILT_IN.put(name, new TranscodeProfile(name, description, parameters));
    }

    public static Optional<TranscodeProfile> named(String name) {
        return Optional.ofNullable(BUILT_IN.get(name));
    }

    public static Iterable<TranscodeProfile> all() {
        return BUILT_IN.values();
    }

    public static String names() {
        return String.join(", ", BUILT_IN.keySet());
    }

    /** The variables the built-in profiles use, with their defaults, as {@code GET /transcode/profiles} shows them. */
    public static Map<String, String> defaultVariables() {
        return Map.of("preset", "veryfast", "video_bitrate", "2M", "audio_bitrate", "128k", "crf", "20", "gop", "50");
    }
}
