package io.sluice.vod;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of HTTP byte ranges a resuming proxy needs (RFC 9110 14.2, 14.4). */
public final class ByteRange {
    private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");
    private static final Pattern ANY_RANGE = Pattern.compile("bytes=[0-9, \\-]{1,512}");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,19})-(\\d{1,19})/(\\d{1,19}|\\*)");

    private ByteRange() {
    }

    /** A player's Range header when it is well formed, else null (then it is not forwarded). */
    public static String acceptable(String range) {
        return range != null && ANY_RANGE.matcher(range.trim()).matches() ? range.trim() : null;
    }

    /** The first byte a {@code Content-Range} names, or -1. */
    public static long contentRangeStart(String contentRange) {
        Matcher m = contentRange == null ? null : CONTENT_RANGE.matcher(contentRange.trim());
        return m != null && m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The last byte a {@code Content-Range} names, or -1. */
    public static long contentRangeEnd(String contentRange) {
        Matcher m = contentRange == null ? null : CONTENT_RANGE.matcher(contentRange.trim());
        return m != null && m.matches() ? Long.parseLong(m.group(2)) : -1;
    }

    /** True for a single range ({@code bytes=a-b}, {@code bytes=a-}), the only kind a break can be resumed in. */
    public static boolean isSingle(String range) {
        return range == null || SINGLE_RANGE.matcher(range).matches();
    }

    /** The Range asking for the rest: from {@code next} to {@code lastInclusive} (-1: to the end). */
    public static String from(long next, long lastInclusive) {
        return "bytes=" + next + "-" + (lastInclusive >= 0 ? Long.toString(lastInclusive) : "");
    }
}
