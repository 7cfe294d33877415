package io.sluice.hls;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites every URI of a master or media playlist so that it goes back through Sluice (SPEC 7.1). Pure: the
 * caller says what a playlist URI and a media URI become. Every other line, line ending and a leading BOM are
 * kept byte for byte.
 */
public final class PlaylistRewriter {

    /** What an absolute upstream URI is replaced with. */
    public interface UriMapper {
        /** A playlist: a variant, a rendition, an I-frame playlist, a rendition report. */
        String playlist(URI upstream);

        /** The same, told which tag names it ({@code #EXT-X-STREAM-INF} for a variant's URI line). */
        default String playlist(URI upstream, String tag) {
            return playlist(upstream);
        }

        /** Media: a segment, a key, an init map, a part, a preload hint. */
        String media(URI upstream);
    }

    private static final Pattern URI_ATTRIBUTE = Pattern.compile("(^|,)(URI=\")([^\"]*)(\")");

    private PlaylistRewriter() {
    }

    public static String rewrite(String playlist, URI base, UriMapper mapper) {
        StringBuilder out = new StringBuilder(playlist.length() + 1024);
        boolean nextIsVariant = false;
        int pos = 0;
        while (pos < playlist.length()) {
            int nl = playlist.indexOf('\n', pos);
            int end = nl < 0 ? playlist.length() : nl;
            int contentEnd = end > pos && playlist.charAt(end - 1) == '\r' ? end - 1 : end;
            String line = playlist.substring(pos, contentEnd);
            String terminator = playlist.substring(contentEnd, nl < 0 ? end : nl + 1);
            String bom = "";
            if (pos == 0 && line.startsWith("\uFEFF")) {
                bom = "\uFEFF";
                line = line.substring(1);
            }
            String trimmed = line.trim();
            String rewritten = line;
            if (trimmed.startsWith("#")) {
                String tag = tagName(trimmed);
                switch (tag) {
                    case "#EXT-X-STREAM-INF" -> nextIsVariant = true;
                    case "#EXT-X-MEDIA", "#EXT-X-I-FRAME-STREAM-INF", "#EXT-X-RENDITION-REPORT" ->
                            rewritten = rewriteUriAttribute(line, base, mapper, tag);
                    case "#EXT-X-KEY", "#EXT-X-SESSION-KEY", "#EXT-X-MAP", "#EXT-X-PART", "#EXT-X-PRELOAD-HINT" ->
                            rewritten = rewriteUriAttribute(line, base, mapper, null);
                    default -> {
                        // any other tag or comment is kept as it is
                    }
                }
            } else if (!trimmed.isEmpty()) {
                URI target = resolve(base, trimmed);
                if (target != null) {
                    rewritten = nextIsVariant ? mapper.playlist(target, "#EXT-X-STREAM-INF") : mapper.media(target);
                }
                nextIsVariant = false;
            }
            out.append(bom).append(rewritten).append(terminator);
            pos = nl < 0 ? playlist.length() : nl + 1;
        }
        return out.toString();
    }

    private static String tagName(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? line : line.substring(0, colon);
    }

    /** {@code playlistTag}: the tag when the URI names a playlist, null when it names media. */
    private static String rewriteUriAttribute(String line, URI base, UriMapper mapper, String playlistTag) {
        int colon = line.indexOf(':');
        if (colon < 0) {
            return line;
        }
        String attributes = line.substring(colon + 1);
        Matcher m = URI_ATTRIBUTE.matcher(attributes);
        if (!m.find()) {
            return line;
        }
        String value = m.group(3);
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith("skd:") || lower.startsWith("data:")) {
            return line; // FairPlay key ids and inline data are not fetched through a proxy
        }
        URI target = resolve(base, value);
        if (target == null) {
            return line;
        }
        String replacement = playlistTag != null ? mapper.playlist(target, playlistTag) : mapper.media(target);
        return line.substring(0, colon + 1) + attributes.substring(0, m.start(3)) + replacement
                + attributes.substring(m.end(3));
    }

    /** Resolves a playlist URI against the playlist's final URL; null when it is not a usable http(s) URI. */
    static URI resolve(URI base, String reference) {
        try {
            URI r = base.resolve(new URI(reference.replace(" ", "%20")));
            String scheme = r.getScheme() == null ? "" : r.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && r.getHost() != null ? r : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
