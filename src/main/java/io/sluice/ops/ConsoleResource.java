package io.sluice.ops;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /console}: the operations console, one self-contained page (no CDN, works offline). It holds no
 * data itself: it asks for the token and then uses the REST API and the event feed like any client.
 */
@Path("console")
public class ConsoleResource {
    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
    private static final Page PAGE = load();

    /** The page and its policy: only the page's own inline script may run, named by its hash. */
    private record Page(byte[] html, String policy) {
    }

    @GET
    @Produces("text/html; charset=utf-8")
    public Response page() {
        return Response.ok(PAGE.html()).header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", PAGE.policy())
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    private static Page load() {
        try (InputStream in = ConsoleResource.class.getResourceAsStream("console.html")) {
            byte[] html = in.readAllBytes();
            StringBuilder scripts = new StringBuilder();
            Matcher m = INLINE_SCRIPT.matcher(new String(html, StandardCharsets.UTF_8));
            while (m.find()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(m.group(1).getBytes(StandardCharsets.UTF_8));
                scripts.append(" 'sha256-").append(Base64.getEncoder().encodeToString(digest)).append('\'');
            }
            // A script that got into the page some other way (an injected element, an event-handler attribute)
            // does not match a hash and does not run; nothing is loaded from elsewhere, nothing frames the page.
            String policy = "default-src 'self'; script-src" + scripts + "; style-src 'self' 'unsafe-inline'; "
                    + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                    + "form-action 'none'; frame-ancestors 'none'";
            return new Page(html, policy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
