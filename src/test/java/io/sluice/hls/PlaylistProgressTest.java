package io.sluice.hls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlaylistProgressTest {
    private static final long S = 1_000_000_000L;

    private static String media(long sequence) {
        return "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:" + sequence + "\n"
                + "#EXTINF:2.0,\nseg-" + sequence + ".ts\n#EXTINF:2.0,\nseg-" + (sequence + 1) + ".ts\n";
    }

    @Test
    void aPlaylistThatAdvancesIsNeverStale() {
        PlaylistProgress p = new PlaylistProgress();
        for (int i = 0; i < 30; i++) {
            assertFalse(p.stale("s|u", media(i / 2), i * S)); // advances every 2 s, asked every second
        }
    }

    @Test
    void aPlaylistFrozenForThreeTargetDurationsIsStale() {
        PlaylistProgress p = new PlaylistProgress();
        assertFalse(p.stale("s|u", media(5), 0));
        assertFalse(p.stale("s|u", media(5), 6 * S), "exactly 3 × 2 s is still within");
        assertTrue(p.stale("s|u", media(5), 6 * S + 1));
        p.forget("s|u");
        assertFalse(p.stale("s|u", media(5), 7 * S), "a source come back to starts afresh");
    }

    @Test
    void mastersAndEndedPlaylistsNeverGoStale() {
        PlaylistProgress p = new PlaylistProgress();
        String master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nindex.m3u8\n";
        String vod = media(1) + "#EXT-X-ENDLIST\n";
        assertFalse(p.stale("m", master, 0));
        assertFalse(p.stale("m", master, 100 * S));
        assertFalse(p.stale("v", vod, 0));
        assertFalse(p.stale("v", vod, 100 * S));
    }
}
