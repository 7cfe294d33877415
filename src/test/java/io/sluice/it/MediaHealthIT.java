package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Await;
import io.sluice.testing.BrokenTs;
import io.sluice.testing.LiveHls;
import io.sluice.testing.Player;
import io.sluice.testing.PrometheusText;
import io.sluice.testing.SpliceSources;
import io.sluice.testing.TestUpstream;
import io.sluice.ts.TsPacket;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 through the deployed WAR: sources that stay connected but send broken media are failed over with
 * their own reason, players kept; a healthy source joined mid-GOP is left alone.
 */
class MediaHealthIT extends SluiceIT {
    private static final int LIMIT_SECONDS = 3;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("TS_HEALTH_TIMEOUT", Integer.toString(LIMIT_SECONDS)));
    }

    private static int rate() {
        return SpliceSources.realTimeRate(SpliceSources.primary());
    }

    private static int at(double seconds) {
        return (int) (seconds * rate()) / TsPacket.SIZE * TsPacket.SIZE;
    }

    private List<JsonObject> failovers(String id) {
        return api.get("/events?stream_id=" + id).json().getJsonArray("events").stream()
                .map(v -> v.asJsonObject())
                .filter(e -> e.getString("event_type").equals("failover_triggered")).toList();
    }

    /** A broken primary and a healthy backup: the failover comes with {@code reason}, the player stays. */
    private void failsOverWith(String reason, byte[] broken, int rate) throws Exception {
        byte[] good = SpliceSources.primary();
        upstream.route("/broken/live.ts", TestUpstream.pacedThenReset(broken, 0, rate, Integer.MAX_VALUE));
        upstream.route("/good/live.ts", TestUpstream.pacedThenReset(good, at(2.5), rate(), Integer.MAX_VALUE));
        String id = api.register(upstream.url("/broken/live.ts"),
                "\"failover_urls\":[\"" + upstream.url("/good/live.ts") + "\"]");
        try (Player p = Player.play(playerUrl(id), 1024)) {
            Await.until("a failover", Duration.ofSeconds(25), () -> !failovers(id).isEmpty());
            JsonObject data = failovers(id).get(0).getJsonObject("data");
            assertEquals(reason, data.getString("reason"));
            assertEquals(upstream.url("/good/live.ts"), data.getString("new_url"));
            long before = p.total();
            Await.until("bytes from the backup", Duration.ofSeconds(10), () -> p.total() > before + at(2));
            assertFalse(p.ended().isDone(), "the player's connection stayed open");
            Map<String, Double> m = PrometheusText.parse(api.get("/metrics").body());
            assertEquals(1.0, PrometheusText.value(m, "sluice_failovers_total{manual=\"false\",reason=\"" + reason + "\""));
            JsonObject health = api.get("/streams/" + id).json().getJsonObject("stream").getJsonObject("health");
            assertEquals(reason, health.getJsonObject(upstream.url("/broken/live.ts")).getString("verdict"));
        }
    }

    @Test
    void onlyNullPacketsFailOverWithinTheLimit() throws Exception {
        byte[] start = Arrays.copyOf(SpliceSources.primary(), at(3));
        byte[] nulls = BrokenTs.nullPackets(2_000_000 / 8 * 60 / TsPacket.SIZE); // a minute at 2 Mbit/s
        byte[] ts = Arrays.copyOf(start, start.length + nulls.length);
        System.arraycopy(nulls, 0, ts, start.length, nulls.length);
        failsOverWith("null_only", ts, 2_000_000 / 8);
    }

    @Test
    void aPcrThatStopsWhileBytesFlowFailsOver() throws Exception {
        failsOverWith("pcr_stalled", BrokenTs.pcrFrozen(SpliceSources.primary(), at(3)), rate());
    }

    @Test
    void noAudioOrVideoFailsOver() throws Exception {
        failsOverWith("no_media", BrokenTs.withoutPids(SpliceSources.primary(), at(3), 0x100, 0x101), rate());
    }

    @Test
    void aVanishedVideoPidFailsOver() throws Exception {
        failsOverWith("video_missing", BrokenTs.withoutPids(SpliceSources.primary(), at(3), 0x100), rate());
    }

    @Test
    void aHealthySourceJoinedMidGopIsNeverFailedOver() throws Exception {
        byte[] good = SpliceSources.primary();
        upstream.route("/good/live.ts", TestUpstream.pacedThenReset(good, at(2.5), rate(), Integer.MAX_VALUE));
        upstream.route("/other/live.ts", TestUpstream.pacedThenReset(good, 0, rate(), Integer.MAX_VALUE));
        String id = api.register(upstream.url("/good/live.ts"),
                "\"failover_urls\":[\"" + upstream.url("/other/live.ts") + "\"]");
        try (Player p = Player.play(playerUrl(id), 1024)) {
            // 30 s here (the unit test TsHealthTest judges both whole 40 s sources in simulated time): ten
            // times the limit, every verdict's window passes many times over.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                long t = p.total();
                Await.until("another half second of the stream", Duration.ofSeconds(5), () -> p.total() > t + at(0.5));
                assertEquals(List.of(), failovers(id));
            }
            assertEquals(0, upstream.requests("/other/live.ts"));
            JsonObject health = api.get("/streams/" + id).json().getJsonObject("stream").getJsonObject("health");
            assertEquals("healthy", health.getJsonObject(upstream.url("/good/live.ts")).getString("verdict"));
        }
    }

    @Test
    void aFrozenHlsPlaylistFailsOverAndPlayersGetTheBackupsSegments() throws Exception {
        LiveHls primary = LiveHls.serve(upstream, "/p", 100);
        LiveHls.serve(upstream, "/b", 5000);
        String id = api.register(upstream.url("/p/index.m3u8"),
                "\"failover_urls\":[\"" + upstream.url("/b/index.m3u8") + "\"]");
        String playlist = api.base() + "/hls/" + id + "/playlist.m3u8";
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(playlist)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        primary.freeze();
        long frozenAt = System.nanoTime();
        Await.until("a failover with reason playlist_stale", Duration.ofSeconds(20), () -> {
            api.get("/hls/" + id + "/playlist.m3u8"); // a player polling: the playlist is judged when fetched
            return !failovers(id).isEmpty();
        });
        double seconds = (System.nanoTime() - frozenAt) / 1e9;
        assertEquals("playlist_stale", failovers(id).get(0).getJsonObject("data").getString("reason"));
        assertTrue(seconds >= 3 * 2 - 1.1, "not before 3 target durations (minus the cache): " + seconds);
        // The window players were shown stays (no replay, issue 11): the backup's segments come after it, as
        // they are made. A player takes the newest segment of each refresh.
        Await.until("a backup segment was served", Duration.ofSeconds(12), () -> {
            fetchNewestSegment(http, playlist);
            return upstream.requestsStartingWith("/b/seg-") > 0;
        });
        assertTrue(upstream.requests("/b/index.m3u8") > 0, "the backup's playlist was fetched");
    }

    /** What a player does on each refresh: the playlist, then its newest segment (which must answer 200). */
    private static void fetchNewestSegment(HttpClient http, String playlist) {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create(playlist)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher seg = Pattern.compile("(?m)^[^#\\s].*$").matcher(body);
            String newest = null;
            while (seg.find()) {
                newest = seg.group();
            }
            assertTrue(newest != null, body);
            HttpResponse<byte[]> s = http.send(HttpRequest.newBuilder(URI.create(playlist).resolve(newest)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, s.statusCode());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aSegmentThatFailsAfterItsRetryFailsTheSourceOver() throws Exception {
        LiveHls.serve(upstream, "/p", 100);
        upstream.routePrefix("/p/seg-", TestUpstream.status(500));
        LiveHls.serve(upstream, "/b", 5000);
        String id = api.register(upstream.url("/p/index.m3u8"),
                "\"failover_urls\":[\"" + upstream.url("/b/index.m3u8") + "\"]");
        String body = api.get("/hls/" + id + "/playlist.m3u8").body();
        Matcher seg = Pattern.compile("(?m)^[^#\\s].*$").matcher(body);
        assertTrue(seg.find(), body);
        String segment = URI.create(api.base() + "/hls/" + id + "/playlist.m3u8").resolve(seg.group()).toString();
        HttpResponse<byte[]> s = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(segment)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(502, s.statusCode());
        assertEquals(2, upstream.requestsStartingWith("/p/seg-"), "the segment and its one retry");
        Await.until("a failover", Duration.ofSeconds(10), () -> !failovers(id).isEmpty());
        assertEquals("http_500", failovers(id).get(0).getJsonObject("data").getString("reason"));
        String next = api.get("/hls/" + id + "/playlist.m3u8").body();
        assertTrue(next.contains("segment.ts"), next);
        assertTrue(upstream.requests("/b/index.m3u8") > 0, "the next playlist comes from the backup");
    }

    @Test
    void silentAudioWithDetectionEnabledForTheStreamFailsOver() throws Exception {
        byte[] silent = SpliceSources.silent();
        byte[] good = SpliceSources.primary();
        upstream.route("/silent/live.ts", TestUpstream.pacedThenReset(silent, 0, rate(), Integer.MAX_VALUE));
        upstream.route("/good/live.ts", TestUpstream.pacedThenReset(good, at(2.5), rate(), Integer.MAX_VALUE));
        String id = api.register(upstream.url("/silent/live.ts"),
                "\"failover_urls\":[\"" + upstream.url("/good/live.ts") + "\"],\"enable_silence_detection\":true,"
                        + "\"silence_threshold_db\":-50,\"silence_duration\":1.5,\"silence_check_interval\":2,"
                        + "\"silence_failover_threshold\":2,\"silence_monitoring_grace_period\":1");
        try (Player p = Player.play(playerUrl(id), 1024)) {
            Await.until("a failover for silence", Duration.ofSeconds(30), () -> !failovers(id).isEmpty());
            assertEquals("silence", failovers(id).get(0).getJsonObject("data").getString("reason"));
            long before = p.total();
            Await.until("bytes from the backup", Duration.ofSeconds(10), () -> p.total() > before + at(2));
            assertFalse(p.ended().isDone(), "the player's connection stayed open");
        }
    }

    @Test
    void aToneIsNeverTakenForSilence() throws Exception {
        byte[] good = SpliceSources.primary();
        upstream.route("/good/live.ts", TestUpstream.pacedThenReset(good, at(2.5), rate(), Integer.MAX_VALUE));
        upstream.route("/other/live.ts", TestUpstream.pacedThenReset(good, 0, rate(), Integer.MAX_VALUE));
        String id = api.register(upstream.url("/good/live.ts"),
                "\"failover_urls\":[\"" + upstream.url("/other/live.ts") + "\"],\"enable_silence_detection\":true,"
                        + "\"silence_duration\":1.5,\"silence_check_interval\":2,\"silence_failover_threshold\":1,"
                        + "\"silence_monitoring_grace_period\":1");
        try (Player p = Player.play(playerUrl(id), 1024)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(12).toNanos(); // five checks of 2 s
            while (System.nanoTime() < deadline) {
                long t = p.total();
                Await.until("another half second of the stream", Duration.ofSeconds(5), () -> p.total() > t + at(0.5));
                assertEquals(List.of(), failovers(id));
            }
            assertEquals(0, upstream.requests("/other/live.ts"));
        }
    }
}
