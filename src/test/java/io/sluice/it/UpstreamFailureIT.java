package io.sluice.it;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.TestUpstream;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Upstreams that fail before the first byte: the player gets 502/504 with a JSON detail, never an empty 200. */
class UpstreamFailureIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }


    private Api.Reply play(String path) {
        String id = api.register(upstream.url(path));
        return api.send(api.request("/stream/" + id).GET().build());
    }

    private static void assertProblem(Api.Reply r, int status, String detailPart) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertTrue(r.detail().contains(detailPart), r.detail());
    }

    @Test
    void deadUpstreamIs502WithinTheConnectTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String id = api.register("http://127.0.0.1:" + port + "/live/1.ts");
        long t0 = System.nanoTime();
        Api.Reply r = api.send(api.request("/stream/" + id).GET().build());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertProblem(r, 502, "refused");
        assertTrue(seconds < 2.5, "answered after " + seconds + " s (connect timeout 2 s)");
        assertEquals(1, api.get("/streams/" + id).json().getJsonObject("stream").getInt("error_count"));
    }

    @Test
    void errorStatusIs502() {
        upstream.route("/live/e.ts", TestUpstream.status(500));
        assertProblem(play("/live/e.ts"), 502, "HTTP 500");
    }

    @Test
    void htmlServedAsVideoIs502() {
        upstream.route("/live/h.ts", TestUpstream.htmlAsVideo());
        assertProblem(play("/live/h.ts"), 502, "HTML");
        upstream.route("/live/h2.ts", TestUpstream.htmlLabelledAsVideo());
        assertProblem(play("/live/h2.ts"), 502, "HTML");
    }

    @Test
    void emptyBodyIs502() {
        upstream.route("/live/empty.ts", TestUpstream.file(new byte[0], "video/mp2t"));
        assertProblem(play("/live/empty.ts"), 502, "empty");
    }

    @Test
    void redirectLoopIs502() {
        upstream.route("/live/loop1.ts", TestUpstream.redirect(302, "/live/loop2.ts"));
        upstream.route("/live/loop2.ts", TestUpstream.redirect(302, "/live/loop1.ts"));
        assertProblem(play("/live/loop1.ts"), 502, "redirect");
    }

    @Test
    void redirectChainIsFollowed() {
        byte[] body = io.sluice.testing.LiveTs.packets(0, 10);
        upstream.route("/entry.ts", TestUpstream.redirect(302, "/lb.ts"));
        upstream.route("/lb.ts", TestUpstream.redirect(302, "/backend/live.ts"));
        upstream.route("/backend/live.ts", TestUpstream.file(body, "video/mp2t"));
        Api.Reply r = play("/entry.ts");
        assertEquals(200, r.status());
        assertEquals(body.length, r.body().length());
    }

    @Test
    void silentUpstreamIs504AfterTheReadTimeout() {
        upstream.route("/live/silent.ts", TestUpstream.stall());
        long t0 = System.nanoTime();
        Api.Reply r = play("/live/silent.ts");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertProblem(r, 504, "timed out");
        assertTrue(seconds < 3.5, "answered after " + seconds + " s (read timeout 2 s)");
    }

    @Test
    void resetBeforeAnyByteIs502() {
        upstream.route("/live/reset.ts", TestUpstream.resetAtStart());
        assertProblem(play("/live/reset.ts"), 502, "");
    }
}
