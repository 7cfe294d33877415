package io.sluice.upstream;

import java.util.Locale;

/**
 * What an upstream's {@code Content-Type} says about its body (SPEC 4): player routes serve media, never a page,
 * because a body a browser would run as a document or script would run on Sluice's own origin, next to the
 * console and its token.
 */
public final class MediaTypes {
    private MediaTypes() {
    }

    /** True for HTML, XHTML, SVG, any XML, XSL and JavaScript/ECMAScript types: such a body is a failed upstream. */
    public static boolean couldRunScript(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        int semicolon = t.indexOf(';');
        if (semicolon >= 0) {
            t = t.substring(0, semicolon);
        }
        t = t.strip();
        return t.equals("text/html") || t.contains("xml") || t.contains("xsl") || t.contains("svg")
                || t.contains("javascript") || t.contains("ecmascript") || t.contains("jscript");
    }

    /** The failure for such a body. */
    public static UpstreamFailure scriptable(String contentType) {
        return UpstreamFailure.notMedia("an HTML/XML page or a script (" + contentType + "), not media");
    }
}
