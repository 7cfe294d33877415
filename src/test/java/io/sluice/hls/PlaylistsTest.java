package io.sluice.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The playlists a master names, numbered as the references players are handed are numbered. */
class PlaylistsTest {
    @Test
    void aMastersPlaylistsComeInTheRewritersOrderResolvedAgainstItsUrl() {
        String master = """
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",URI="audio/en.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=800000,AUDIO="aud"
                low/index.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=2400000,AUDIO="aud"
                https://cdn.example/high/index.m3u8?token=1
                #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,URI="iframes.m3u8"
                """;
        assertEquals(List.of(new Playlists.Named("#EXT-X-MEDIA", URI.create("http://p.example/live/audio/en.m3u8")),
                        new Playlists.Named("#EXT-X-STREAM-INF", URI.create("http://p.example/live/low/index.m3u8")),
                        new Playlists.Named("#EXT-X-STREAM-INF", URI.create("https://cdn.example/high/index.m3u8?token=1")),
                        new Playlists.Named("#EXT-X-I-FRAME-STREAM-INF", URI.create("http://p.example/live/iframes.m3u8"))),
                Playlists.playlistUris(master, URI.create("http://p.example/live/master.m3u8")));
    }

    @Test
    void aMediaPlaylistNamesNone() {
        assertEquals(List.of(), Playlists.playlistUris("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nseg-1.ts\n",
                URI.create("http://p.example/live/index.m3u8")));
    }
}
