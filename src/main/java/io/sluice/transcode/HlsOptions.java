package io.sluice.transcode;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The HLS muxer options of a template ({@code -hls_time 2 -hls_list_size 30 -hls_flags program_date_time}, as M3U
 * Editor's stock HLS profile has them). FFmpeg itself writes MPEG-TS to Sluice, which cuts the segments and keeps
 * them in memory; so these options are read, never passed on — and none of them can name a file for FFmpeg.
 */
final class HlsOptions {
    static final int MAX_SEGMENT_SECONDS = 30;
    static final int MAX_LIST_SIZE = 100;
    private static final Set<String> OPTIONS = Set.of("-hls_time", "-hls_list_size", "-hls_flags",
            "-hls_segment_type", "-hls_segment_filename", "-start_number", "-hls_allow_cache");
    /** Flags that shape FFmpeg's own files only; Sluice's playlist always has date-times and independent segments. */
    private static final Set<String> FLAGS = Set.of("program_date_time", "delete_segments", "independent_segments",
            "omit_endlist", "discont_start", "append_list", "temp_file", "split_by_time", "round_durations");
    /** A file name FFmpeg would use in its own directory; Sluice names segments itself. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_%.-]{1,64}");

    boolean asked;
    private final java.util.List<String> given = new java.util.ArrayList<>();
    private int segmentSeconds = 2;
    private int listSize = 5;

    static boolean takes(String option) {
        return OPTIONS.contains(option);
    }

    void take(String option, String value) {
        given.add(option);
        switch (option) {
            case "-hls_time" -> segmentSeconds = (int) Math.ceil(number(option, value, 1, MAX_SEGMENT_SECONDS));
            case "-hls_list_size" -> {
                int n = (int) number(option, value, 0, MAX_LIST_SIZE);
                // 0 is "keep every segment" for FFmpeg; a live window in memory keeps the most it may.
                listSize = n == 0 ? MAX_LIST_SIZE : n;
            }
            case "-hls_flags" -> {
                for (String flag : value.replaceFirst("^\\+", "").split("\\+", -1)) {
                    if (!FLAGS.contains(flag)) {
                        throw new IllegalArgumentException("profile: hls flag '" + clip(flag) + "' is not allowed (known: "
                                + String.join(", ", new java.util.TreeSet<>(FLAGS)) + ")");
                    }
                }
            }
            case "-hls_segment_type" -> {
                if (!value.equals("mpegts") && !value.equals("fmp4")) {
                    throw new IllegalArgumentException("profile: -hls_segment_type must be mpegts or fmp4");
                }
            }
            case "-hls_segment_filename" -> {
                if (!PLAIN_NAME.matcher(value).matches() || value.startsWith(".")) {
                    throw new IllegalArgumentException("profile: -hls_segment_filename may only be a plain file name");
                }
            }
            default -> number(option, value, 0, Integer.MAX_VALUE); // -start_number, -hls_allow_cache
        }
    }

    /** The HLS output asked for, or null for MPEG-TS; HLS options without {@code -f hls} are refused. */
    FfmpegArguments.Hls result() {
        if (!asked) {
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("profile: " + given.get(0) + " needs -f hls");
            }
            return null;
        }
        return new FfmpegArguments.Hls(segmentSeconds, listSize);
    }

    private static double number(String option, String value, double min, double max) {
        try {
            double d = Double.parseDouble(value);
            if (d >= min && d <= max && !value.contains("e") && !value.contains("E")) {
                return d;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new IllegalArgumentException("profile: the value of " + option + " must be a number from "
                + (long) min + " to " + (long) max);
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
