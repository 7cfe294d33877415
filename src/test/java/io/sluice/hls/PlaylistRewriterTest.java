package io.sluice.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Golden tests: each input playlist under src/test/resources/hls against its reviewed expected output. */
class PlaylistRewriterTest {
    /** Marks what each kind of URI became, so the golden files show every decision. */
    private static final PlaylistRewriter.UriMapper MARKS = new PlaylistRewriter.UriMapper() {
        @Override
        public String playlist(URI upstream) {
            return "P[" + upstream + "]";
        }

        @Override
        public String media(URI upstream) {
            return "M[" + upstream + "]";
        }
    };

    private static String resource(String name) throws IOException {
        try (InputStream in = PlaylistRewriterTest.class.getResourceAsStream("/hls/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void golden(String name, String base) throws IOException {
        String out = PlaylistRewriter.rewrite(resource(name + ".m3u8"), URI.create(base), MARKS);
        assertEquals(resource(name + ".expected.m3u8"), out);
    }

    @Test
    void masterWithRenditionsSessionKeyAndIframes() throws IOException {
        golden("master", "http://origin.tv/live/ch1/master.m3u8?token=abc");
    }

    @Test
    void mediaWithKeysMapByterangeDiscontinuityAndEveryUriForm() throws IOException {
        golden("media", "http://origin.tv/vod/show/index.m3u8");
    }

    @Test
    void lowLatencyPartsHintsAndRenditionReports() throws IOException {
        golden("llhls", "https://ll.example.com/2M/playlist.m3u8?_HLS_msn=270");
    }

    @Test
    void crlfAndBomAreKept() throws IOException {
        String in = "\uFEFF" + resource("media.m3u8").replace("\n", "\r\n");
        String expected = "\uFEFF" + resource("media.expected.m3u8").replace("\n", "\r\n");
        assertEquals(expected, PlaylistRewriter.rewrite(in, URI.create("http://origin.tv/vod/show/index.m3u8"), MARKS));
    }

    @Test
    void relativeUrisResolveAgainstTheFinalUrlAfterRedirects() {
        String out = PlaylistRewriter.rewrite("#EXTM3U\n#EXTINF:2,\nseg1.ts\n",
                URI.create("http://backend-2.example/live/ch/index.m3u8"), MARKS);
        assertTrue(out.contains("M[http://backend-2.example/live/ch/seg1.ts]"), out);
    }

    @Test
    void aNonHttpUriIsNeverHandedToTheMapper() {
        String in = "#EXTM3U\n#EXTINF:2,\nfile:///etc/passwd\n#EXT-X-KEY:METHOD=AES-128,URI=\"ftp://x/k\"\n";
        String out = PlaylistRewriter.rewrite(in, URI.create("http://o.tv/a.m3u8"), MARKS);
        assertFalse(out.contains("M["), out);
    }

    @Test
    void recognisesPlaylists() {
        assertTrue(Playlists.isPlaylist("\uFEFF  #EXTM3U\n"));
        assertFalse(Playlists.isPlaylist("<html>"));
        assertTrue(Playlists.isMaster(resourceQuietly("master.m3u8")));
        assertEquals(6, Playlists.targetDuration(resourceQuietly("media.m3u8")));
        assertEquals(-1, Playlists.targetDuration(resourceQuietly("master.m3u8")));
    }

    private static String resourceQuietly(String name) {
        try {
            return resource(name);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
