package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.LiveTs;
import io.sluice.testing.Player;
import io.sluice.testing.TestUpstream;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Live TS that survives its upstreams: retry, failover, manual failover, sticky revert, give up (SPEC 9). */
class ResilienceIT extends SluiceIT {
    private static final int RATE = 300_000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("STREAM_RETRY_ATTEMPTS", "2", "STREAM_RETRY_DELAY", "0.2",
                "LIVE_CHUNK_TIMEOUT_SECONDS", "1", "DEFAULT_READ_TIMEOUT", "1"));
    }

    private JsonObject stats(String id) {
        return api.get("/streams/" + id).json().getJsonObject("stream");
    }

    private List<String> eventTypes(String id) {
        return api.get("/events?stream_id=" + id).json().getJsonArray("events").stream()
                .map(v -> v.asJsonObject().getString("event_type")).toList();
    }

    @Test
    void retriesTheSameUrlAsConfigured() {
        upstream.route("/live/r.ts", TestUpstream.status(500));
        String id = api.register(upstream.url("/live/r.ts"));
        assertEquals(502, api.send(api.request("/stream/" + id).GET().build()).status());
        List<Long> t = upstream.arrivals("/live/r.ts");
        assertEquals(3, t.size(), "one try and STREAM_RETRY_ATTEMPTS=2 retries");
        for (int i = 0; i + 1 < t.size(); i++) {
            long gap = (t.get(i + 1) - t.get(i)) / 1_000_000;
            assertTrue(Math.abs(gap - 200) <= 100, "gap " + gap + " ms, expected 200 ± 100");
        }
        assertTrue(eventTypes(id).contains("stream_failed"));
    }

    @Test
    void aStallIsRetriedOnTheSameUrlThenFailsOverWithoutClosingThePlayer() throws Exception {
        byte[] start = LiveTs.packets(0, 2000);
        upstream.route("/live/stall.ts", TestUpstream.firstThen(
                TestUpstream.stallAfter(start, start.length, "video/mp2t"), TestUpstream.stall()));
        upstream.route("/backup/stall.ts", TestUpstream.liveTs(RATE));
        String id = api.register(upstream.url("/live/stall.ts"),
                "\"failover_urls\":[\"" + upstream.url("/backup/stall.ts") + "\"]");
        try (Player p = Player.play(playerUrl(id), 64 * 1024 * 1024)) {
            Await.until("the primary's bytes arrive", Duration.ofSeconds(10), () -> p.total() >= start.length);
            Await.until("bytes resume from the backup", Duration.ofSeconds(15),
                    () -> p.total() > start.length + 100_000);
            assertFalse(p.ended().isDone(), "the player's connection stayed open");
            assertEquals(3, upstream.requests("/live/stall.ts"), "first try, then 2 retries of the same URL");
            assertEquals(1, upstream.requests("/backup/stall.ts"), "connected ahead while the primary was retried");
            // The given-up retry's connection is closed by Sluice at once; the upstream sees the close a moment later.
            Await.until("one upstream for the stream", Duration.ofSeconds(2), () -> upstream.openConnections() <= 1);
            JsonObject s = stats(id);
            assertEquals(0, s.getInt("current_failover_index"));
            assertEquals(upstream.url("/backup/stall.ts"), s.getString("current_url"));
            assertTrue(eventTypes(id).contains("failover_triggered"));
            LiveTs.Check check = LiveTs.check(p.capturedBytes(), true);
            assertTrue(check.problem() == null || check.problem().contains("follows"), String.valueOf(check.problem()));
        }
    }

    @Test
    void aRetryThatWorksClosesTheBackupConnectedAhead() throws Exception {
        byte[] start = LiveTs.packets(0, 2000);
        upstream.route("/live/again.ts", TestUpstream.firstThen(
                TestUpstream.stallAfter(start, start.length, "video/mp2t"), TestUpstream.liveTs(RATE)));
        upstream.route("/backup/again.ts", TestUpstream.liveTs(RATE));
        String id = api.register(upstream.url("/live/again.ts"),
                "\"failover_urls\":[\"" + upstream.url("/backup/again.ts") + "\"]");
        try (Player p = Player.play(playerUrl(id), 1024)) {
            Await.until("the primary's bytes arrive", Duration.ofSeconds(10), () -> p.total() >= start.length);
            Await.until("bytes resume", Duration.ofSeconds(15), () -> p.total() > start.length + 100_000);
            assertEquals(2, upstream.requests("/live/again.ts"), "the first retry worked");
            assertTrue(upstream.requests("/backup/again.ts") <= 1, "the backup was at most connected ahead");
            Await.until("the backup connected ahead is let go", Duration.ofSeconds(5),
                    () -> upstream.openConnections("/backup/again.ts") == 0);
            assertEquals(-1, stats(id).getInt("current_failover_index"), "still on the primary");
        }
    }

    @Test
    void aResetMidStreamIsRecoveredNotTreatedAsADisconnect() throws Exception {
        upstream.route("/live/reset.ts", TestUpstream.firstThen(
                TestUpstream.liveTsThenReset(RATE, 200_000), TestUpstream.liveTs(RATE)));
        String id = api.register(upstream.url("/live/reset.ts"));
        try (Player p = Player.play(playerUrl(id), 1024)) {
            Await.until("bytes after the reset", Duration.ofSeconds(15), () -> p.total() > 400_000);
            assertFalse(p.ended().isDone());
            assertEquals(2, upstream.requests("/live/reset.ts"));
            assertEquals(1, upstream.openConnections("/live/reset.ts"));
            assertEquals(1, stats(id).getInt("client_count"));
        }
    }

    @Test
    void aPacketCutByAResetNeverReachesPlayers() throws Exception {
        upstream.route("/live/cut.ts", TestUpstream.firstThen(
                TestUpstream.liveTsThenResetMidPacket(1000, 100), TestUpstream.liveTs(RATE)));
        String id = api.register(upstream.url("/live/cut.ts"));
        try (Player p = Player.play(playerUrl(id), 400_000)) {
            Await.until("bytes well after the reset", Duration.ofSeconds(15), () -> p.captured() >= 400_000);
            assertEquals(2, upstream.requests("/live/cut.ts"));
            byte[] got = p.capturedBytes();
            for (int off = 0; off + LiveTs.PACKET <= got.length; off += LiveTs.PACKET) {
                assertTrue(LiveTs.indexOf(got, off) >= 0, "byte " + off + " does not start a whole packet "
                        + "(the reset came after " + 1000 * LiveTs.PACKET + " bytes)");
            }
        }
    }

    @Test
    void registeringAgainWhilePlayingAppliesTheNewSourcesWithoutDroppingThePlayer() throws Exception {
        upstream.route("/live/again-reg.ts", TestUpstream.liveTs(RATE));
        upstream.route("/backup/again-reg.ts", TestUpstream.liveTs(RATE));
        String id = api.register(upstream.url("/live/again-reg.ts"));
        try (Player p = Player.play(playerUrl(id), 1024)) {
            Await.until("playing", Duration.ofSeconds(10), () -> p.total() > 0);
            Api.Reply again = api.post("/streams", "{\"url\":\"" + upstream.url("/live/again-reg.ts") + "\","
                    + "\"failover_urls\":[\"" + upstream.url("/backup/again-reg.ts") + "\"],"
                    + "\"use_sticky_session\":true,\"shared_upstream\":false}");
            assertEquals(200, again.status(), again.body());
            String message = again.json().getString("message");
            assertFalse(message.contains("created"), message);
            assertTrue(message.contains("shared_upstream"), "says what it kept: " + message);
            JsonObject s = stats(id);
            assertEquals(List.of(upstream.url("/backup/again-reg.ts")),
                    s.getJsonArray("failover_urls").getValuesAs(jakarta.json.JsonString.class).stream()
                            .map(jakarta.json.JsonString::getString).toList());
            assertTrue(s.getJsonObject("sticky").getBoolean("enabled"));
            // The new failover list is the running stream's: a manual failover moves the player, still connected.
            assertEquals(200, api.post("/streams/" + id + "/failover", "").status());
            Await.until("the backup is read", Duration.ofSeconds(5), () -> upstream.requests("/backup/again-reg.ts") == 1);
            long before = p.total();
            Await.until("bytes from the backup", Duration.ofSeconds(5), () -> p.total() > before + 50_000);
            assertFalse(p.ended().isDone(), "the player stayed connected");
        }
    }

    /** SPEC 9.5 with 1, 2 and 3 failover URLs and 1 and 5 players: no skip, no close, never two upstreams. */
    @Test
    void manualFailoverMovesEveryPlayerToTheNextSourceAtOnce() throws Exception {
        for (int backups = 1; backups <= 3; backups++) {
            for (int players : new int[]{1, 5}) {
                manualFailover(backups, players);
            }
        }
    }

    private void manualFailover(int backups, int playerCount) throws Exception {
        String base = "/mf/" + backups + "/" + playerCount;
        List<String> sources = new ArrayList<>();
        for (int i = 0; i <= backups; i++) {
            String path = base + "/src" + i + ".ts";
            upstream.route(path, TestUpstream.liveTs(RATE));
            sources.add(path);
        }
        StringBuilder failovers = new StringBuilder();
        for (int i = 1; i <= backups; i++) {
            failovers.append(i > 1 ? "," : "").append('"').append(upstream.url(sources.get(i))).append('"');
        }
        String id = api.register(upstream.url(sources.get(0)), "\"failover_urls\":[" + failovers + "]");
        List<Player> ps = new ArrayList<>();
        try {
            for (int i = 0; i < playerCount; i++) {
                ps.add(Player.play(playerUrl(id) + "?client_id=p" + i, 1024));
            }
            Await.until("players playing", Duration.ofSeconds(10), () -> ps.stream().allMatch(p -> p.total() > 0));
            for (int i = 1; i <= backups; i++) {
                long[] before = ps.stream().mapToLong(Player::total).toArray();
                Api.Reply r = api.post("/streams/" + id + "/failover", "");
                assertEquals(200, r.status(), r.body());
                assertEquals(upstream.url(sources.get(i)), r.json().getString("new_url"), "no source skipped");
                assertEquals(i - 1, r.json().getInt("failover_index"));
                assertEquals(playerCount, r.json().getInt("active_clients"));
                String next = sources.get(i);
                Await.until("every player continues from " + next + " within 1 s", Duration.ofSeconds(1), () -> {
                    for (int k = 0; k < ps.size(); k++) {
                        if (ps.get(k).total() <= before[k] + 20_000) {
                            return false;
                        }
                    }
                    return upstream.requests(next) == 1;
                });
                Await.until("the old upstream is closed", Duration.ofSeconds(1),
                        () -> upstream.openConnections(sources.get(0)) + upstream.openConnections(base + "/x") == 0
                                && countOpen(sources) == 1);
                assertTrue(ps.stream().noneMatch(p -> p.ended().isDone()), "no player was disconnected");
            }
            Api.Reply exhausted = api.post("/streams/" + id + "/failover", "");
            assertEquals(409, exhausted.status(), exhausted.body());
        } finally {
            ps.forEach(Player::close);
            api.delete("/streams/" + id);
        }
    }

    private int countOpen(List<String> paths) {
        return paths.stream().mapToInt(upstream::openConnections).sum();
    }

    @Test
    void manualFailoverWithoutBackupsIs400() {
        String id = api.register(upstream.url("/live/single.ts"));
        assertEquals(400, api.post("/streams/" + id + "/failover", "").status());
        assertEquals(404, api.post("/streams/00000000000000000000000000000000/failover", "").status());
    }

    @Test
    void aLockedBackendThatDiesIsRetriedThenTheEntryUrlRelocksOnALiveOne() throws Exception {
        upstream.route("/node1/live.ts", TestUpstream.liveTs(RATE));
        upstream.route("/node2/live.ts", TestUpstream.liveTs(RATE));
        upstream.route("/lb/live.ts", TestUpstream.redirect(302, upstream.url("/node1/live.ts")));
        String id = api.register(upstream.url("/lb/live.ts"), "\"use_sticky_session\":true");
        try (Player p = Player.play(playerUrl(id), 1024)) {
            Await.until("playing", Duration.ofSeconds(10), () -> p.total() > 0);
            assertEquals(upstream.url("/node1/live.ts"), stats(id).getJsonObject("sticky").getString("locked_url"));
            // node1 dies; the balancer now sends newcomers to node2.
            upstream.route("/node1/live.ts", TestUpstream.status(503));
            upstream.route("/lb/live.ts", TestUpstream.redirect(302, upstream.url("/node2/live.ts")));
            upstream.kill("/node1/live.ts"); // its open connection breaks: a crash, not a clean end
            Await.until("relocked on node2", Duration.ofSeconds(15), () -> upstream.url("/node2/live.ts")
                    .equals(stats(id).getJsonObject("sticky").getString("locked_url", "")));
            long now = p.total();
            Await.until("bytes flow from node2", Duration.ofSeconds(5), () -> p.total() > now + 50_000);
            assertFalse(p.ended().isDone());
            List<String> events = eventTypes(id);
            assertTrue(events.contains("sticky_session_locked") && events.contains("sticky_session_reverted"), events.toString());
        }
    }

    /** VOD: lock, the locked node dies, revert relocks on a live node; the whole provider dies, failover relocks. */
    @Test
    void vodFollowsTheSameStickyAndFailoverPath() throws Exception {
        byte[] film = new byte[300_000];
        new java.util.Random(3).nextBytes(film);
        upstream.route("/nodeA/m.mp4", TestUpstream.rangedFile(film, "video/mp4"));
        upstream.route("/nodeB/m.mp4", TestUpstream.rangedFile(film, "video/mp4"));
        upstream.route("/p2node/m.mp4", TestUpstream.rangedFile(film, "video/mp4"));
        upstream.route("/lb/movie/m.mp4", TestUpstream.redirect(302, upstream.url("/nodeA/m.mp4")));
        upstream.route("/p2/movie/m.mp4", TestUpstream.redirect(302, upstream.url("/p2node/m.mp4")));
        String id = api.register(upstream.url("/lb/movie/m.mp4"), "\"use_sticky_session\":true,"
                + "\"failover_urls\":[\"" + upstream.url("/p2/movie/m.mp4") + "\"]");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Supplier<byte[]> play = () -> {
            try {
                var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(playerUrl(id))).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode());
                return r.body();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        org.junit.jupiter.api.Assertions.assertArrayEquals(film, play.get());
        assertEquals(upstream.url("/nodeA/m.mp4"), stats(id).getJsonObject("sticky").getString("locked_url"));

        upstream.route("/nodeA/m.mp4", TestUpstream.status(503));
        upstream.route("/lb/movie/m.mp4", TestUpstream.redirect(302, upstream.url("/nodeB/m.mp4")));
        org.junit.jupiter.api.Assertions.assertArrayEquals(film, play.get());
        assertEquals(3, upstream.requests("/nodeA/m.mp4") - 1, "the locked node and its 2 retries");
        assertEquals(upstream.url("/nodeB/m.mp4"), stats(id).getJsonObject("sticky").getString("locked_url"));

        upstream.route("/nodeB/m.mp4", TestUpstream.status(503));
        upstream.route("/lb/movie/m.mp4", TestUpstream.status(503));
        org.junit.jupiter.api.Assertions.assertArrayEquals(film, play.get());
        JsonObject s = stats(id);
        assertEquals(0, s.getInt("current_failover_index"));
        assertEquals(upstream.url("/p2node/m.mp4"), s.getJsonObject("sticky").getString("locked_url"));
    }

    @Test
    void whenEverySourceIsDeadTheStreamFailsAndPlayersEndCleanly() throws Exception {
        upstream.route("/live/dying.ts", TestUpstream.firstThen(
                TestUpstream.liveTsThenReset(RATE, 100_000), TestUpstream.status(503)));
        upstream.route("/backup/dead.ts", TestUpstream.status(404));
        String id = api.register(upstream.url("/live/dying.ts"),
                "\"failover_urls\":[\"" + upstream.url("/backup/dead.ts") + "\"]");
        try (Player p = Player.play(playerUrl(id), 1024)) {
            p.ended().get(15, java.util.concurrent.TimeUnit.SECONDS); // a clean end, not an exception
            assertTrue(p.total() >= 90_000);
        }
        assertTrue(eventTypes(id).contains("stream_failed"));
        assertEquals(3, upstream.requests("/live/dying.ts"), "the primary and its 2 retries");
        int backup = upstream.requests("/backup/dead.ts");
        assertTrue(backup == 3 || backup == 4, "the backup (maybe connected ahead while the primary was retried) "
                + "and its 2 retries: " + backup);
        Api.Reply again = api.send(api.request("/stream/" + id).GET().build());
        assertEquals(502, again.status());
    }
}
