package io.sluice.web;

import java.util.Locale;

/**
 * Boolean query parameters as m3u-proxy (FastAPI) reads them: M3U Editor sends {@code 1}/{@code 0}, scripts send
 * {@code true}/{@code false}. JAX-RS would read {@code 1} as false, which silently turned the editor's
 * {@code active_only=1} into "all streams"; anything that is not clearly one or the other is a 422.
 */
public final class QueryFlags {
    private QueryFlags() {
    }

    public static boolean parse(String name, String value, boolean fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on", "y", "t" -> true;
            case "0", "false", "no", "off", "n", "f" -> false;
            default -> throw ApiException.badInput(name + " must be a boolean (true/false or 1/0)");
        };
    }
}
