package io.sluice.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code {"detail"}} bodies for the player servlets, which answer outside JAX-RS. */
public final class ServletProblems {
    private ServletProblems() {
    }

    public static byte[] body(String detail) {
        return JsonText.JSON.createObjectBuilder().add("detail", detail).build().toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Prepares the head of an error answer; the caller writes {@link #body}. */
    public static void head(HttpServletResponse resp, int status, int length) {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setContentLength(length);
        resp.setHeader("Cache-Control", "no-cache, no-store");
    }

    /** A blocking write, for answers given before a request goes asynchronous. */
    public static void send(HttpServletResponse resp, int status, String detail) throws IOException {
        byte[] b = body(detail);
        head(resp, status, b.length);
        resp.getOutputStream().write(b);
    }
}
