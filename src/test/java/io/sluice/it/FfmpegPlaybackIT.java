package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Decoders;
import io.sluice.testing.LiveHls;
import io.sluice.testing.TestUpstream;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** A real player, ffmpeg, decodes live HLS and a VOD file through the deployed WAR with no error. */
class FfmpegPlaybackIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }

    @Test
    void liveHlsDecodesFor20Seconds() throws Exception {
        LiveHls.serve(upstream, "/live/ff", 500);
        String id = api.register(upstream.url("/live/ff/master.m3u8"));
        Decoders.Decode d = Decoders.decode(api.base() + "/hls/" + id + "/playlist.m3u8", 20);
        assertEquals("", d.errors());
        assertEquals(0, d.exitCode());
        assertTrue(d.seconds() >= 19.5, "decoded " + d.seconds() + " s");
    }

    @Test
    void vodDecodesWhole() throws Exception {
        byte[] movie = LiveHls.resource("/media/movie.mp4");
        upstream.route("/movie/u/p/7.mp4", TestUpstream.rangedFile(movie, "video/mp4"));
        String id = api.register(upstream.url("/movie/u/p/7.mp4"));
        Decoders.Decode d = Decoders.decode(api.base() + "/stream/" + id, 60);
        assertEquals("", d.errors());
        assertEquals(0, d.exitCode());
        assertTrue(d.seconds() >= 7.5, "decoded " + d.seconds() + " s");
    }
}
