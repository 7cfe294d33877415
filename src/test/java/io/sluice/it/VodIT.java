package io.sluice.it;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.TestUpstream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** VOD through the deployed WAR: Range pass-through, HEAD from the upstream, transparent resume. */
class VodIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }

    private static final int MIB = 1024 * 1024;
    private final HttpClient http = HttpClient.newHttpClient();

    private static byte[] movie(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private HttpResponse<byte[]> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void rangeIsPassedThrough() throws Exception {
        byte[] film = movie(3 * MIB);
        upstream.route("/movie/u/p/1.mp4", TestUpstream.rangedFile(film, "video/mp4"));
        String id = api.register(upstream.url("/movie/u/p/1.mp4"));
        HttpResponse<byte[]> r = get(playerUrl(id), "Range", "bytes=1000-1999");
        assertEquals(206, r.statusCode());
        assertArrayEquals(Arrays.copyOfRange(film, 1000, 2000), r.body());
        assertEquals("bytes 1000-1999/" + film.length, r.headers().firstValue("Content-Range").orElse(""));
        assertEquals("1000", r.headers().firstValue("Content-Length").orElse(""));
        assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElse(""));
        assertEquals("bytes=1000-1999", upstream.requestHeaders("/movie/u/p/1.mp4").get(0).get("range"));
    }

    @Test
    void headIsAnsweredFromTheUpstream() throws Exception {
        byte[] film = movie(MIB);
        upstream.route("/movie/2.mkv", TestUpstream.rangedFile(film, "video/x-matroska"));
        String id = api.register(upstream.url("/movie/2.mkv"));
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(playerUrl(id)))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, r.statusCode());
        assertEquals(Integer.toString(film.length), r.headers().firstValue("Content-Length").orElse(""));
        assertEquals("video/x-matroska", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElse(""));
        assertEquals(1, upstream.requests("/movie/2.mkv"));
    }

    @Test
    void anUpstreamBreakIsResumedAndThePlayerSeesOneWholeBody() throws Exception {
        byte[] film = movie(10 * MIB);
        upstream.route("/movie/3.mp4", TestUpstream.rangedFileBreakingOnce(film, "video/mp4", MIB));
        String id = api.register(upstream.url("/movie/3.mp4"));
        HttpResponse<byte[]> r = get(playerUrl(id));
        assertEquals(200, r.statusCode());
        assertEquals(Integer.toString(film.length), r.headers().firstValue("Content-Length").orElse(""));
        assertArrayEquals(film, r.body());
        assertEquals(2, upstream.requests("/movie/3.mp4"));
        String resumedFrom = upstream.requestHeaders("/movie/3.mp4").get(1).get("range");
        assertTrue(resumedFrom.matches("bytes=\\d+-" + (film.length - 1)), resumedFrom);
    }

    @Test
    void aBreakThatCannotBeResumedIsNeverACleanShortBody() throws Exception {
        byte[] film = movie(2 * MIB);
        // Breaks every time and ignores Range, so every resume is refused.
        upstream.route("/movie/4.mp4", TestUpstream.resetAfter(film, 300_000, "video/mp4"));
        String id = api.register(upstream.url("/movie/4.mp4"));
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> get(playerUrl(id)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 10, "the player learnt of the break after " + seconds + " s: " + e);
        assertEquals(1 + 5, upstream.requests("/movie/4.mp4"), "first try and 5 resumes");
    }

    @Test
    void htmlInsteadOfAMovieIs502() throws Exception {
        upstream.route("/movie/5.mp4", TestUpstream.htmlAsVideo());
        String id = api.register(upstream.url("/movie/5.mp4"));
        HttpResponse<byte[]> r = get(playerUrl(id));
        assertEquals(502, r.statusCode());
        assertTrue(new String(r.body()).contains("HTML"));
    }
}
