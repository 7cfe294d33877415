package io.sluice.streams;

import io.sluice.web.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Upstream URLs are http or https with a host; nothing else (no file:, no local paths) is ever fetched. */
public final class SourceUrls {
    private static final int MAX_LENGTH = 4096;

    private SourceUrls() {
    }

    /** Returns the URL when usable, or throws 422 naming {@code field}. */
    public static String check(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badInput(field + " must be a non-empty http(s) URL");
        }
        if (value.length() > MAX_LENGTH) {
            throw ApiException.badInput(field + " is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw ApiException.badInput(field + " is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.badInput(field + " must use http or https");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ApiException.badInput(field + " must name a host");
        }
        return value;
    }
}
