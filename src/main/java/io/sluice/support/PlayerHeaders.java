package io.sluice.support;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Headers on every answer of a player route (SPEC 4): the browser must treat what it gets as the declared media
 * type and nothing else, and a body opened as a page anyway runs sandboxed, with no script and no access to
 * Sluice's origin (where the console keeps its token).
 */
public final class PlayerHeaders {
    static final String POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'";

    private PlayerHeaders() {
    }

    /** Set before anything else is written; they survive every status the route answers with. */
    public static void apply(HttpServletResponse resp) {
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Content-Security-Policy", POLICY);
    }
}
