package io.sluice.hls;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Facts read off a playlist's text, without I/O. */
public final class Playlists {
    private static final Pattern TARGET_DURATION = Pattern.compile("^#EXT-X-TARGETDURATION:\\s*(\\d+)", Pattern.MULTILINE);

    private Playlists() {
    }

    /** True when the body is an HLS playlist (optionally after a BOM and whitespace). */
    public static boolean isPlaylist(String body) {
        int i = 0;
        if (body.startsWith("\uFEFF")) {
            i = 1;
        }
        while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
            i++;
        }
        return body.startsWith("#EXTM3U", i);
    }

    public static boolean isMaster(String body) {
        return body.contains("#EXT-X-STREAM-INF") || body.contains("#EXT-X-I-FRAME-STREAM-INF");
    }

    /** A playlist a master names, with the tag that names it. */
    public record Named(String tag, java.net.URI uri) {
    }

    /**
     * The playlists a master names (variants, renditions, I-frame playlists), resolved against {@code base}, in
     * the order {@link PlaylistRewriter} visits them.
     */
    public static java.util.List<Named> playlistUris(String master, java.net.URI base) {
        java.util.List<Named> out = new java.util.ArrayList<>();
        PlaylistRewriter.rewrite(master, base, new PlaylistRewriter.UriMapper() {
            @Override
            public String playlist(java.net.URI upstream) {
                throw new IllegalStateException("the rewriter names the tag");
            }

            @Override
            public String playlist(java.net.URI upstream, String tag) {
                out.add(new Named(tag, upstream));
                return "";
            }

            @Override
            public String media(java.net.URI upstream) {
                return "";
            }
        });
        return out;
    }

    /** The target duration in seconds, or -1 when absent (masters have none). */
    public static int targetDuration(String body) {
        Matcher m = TARGET_DURATION.matcher(body);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
