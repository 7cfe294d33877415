package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.Player;
import io.sluice.testing.TestUpstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Provider capacity (SPEC 11): one upstream connection per provider host, a newcomer is refused with 503. */
class ProviderLimitIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        // Retries on, so that a stream recovering would connect a standby (a second connection) ahead.
        return war(Map.of("PROVIDER_MAX_CONNECTIONS", "1", "PROVIDER_LIMIT_POLICY", "reject",
                "STREAM_RETRY_ATTEMPTS", "2"));
    }

    @Test
    void aFullProviderRefusesANewStreamButNotMorePlayersOrOtherHosts() throws Exception {
        upstream.route("/live/a.ts", TestUpstream.liveTs(200_000));
        upstream.route("/live/b.ts", TestUpstream.liveTs(200_000));
        String a = api.register(upstream.url("/live/a.ts"));
        String b = api.register(upstream.url("/live/b.ts"));
        String other = api.register("http://localhost:" + upstream.port() + "/live/b.ts");
        try (Player first = Player.play(playerUrl(a) + "?client_id=1", 1024);
             Player second = Player.play(playerUrl(a) + "?client_id=2", 1024);
             Player elsewhere = Player.play(playerUrl(other), 1024)) {
            Await.until("playing", Duration.ofSeconds(10),
                    () -> first.total() > 0 && second.total() > 0 && elsewhere.total() > 0);
            Api.Reply refused = api.send(api.request("/stream/" + b).GET().build());
            assertEquals(503, refused.status());
            assertTrue(refused.detail().contains("127.0.0.1"), refused.detail());
        }
    }

    @Test
    void newStreamsArrivingTogetherNeverTakeMorePlacesThanTheLimit() throws Exception {
        for (int round = 0; round < 5; round++) {
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                upstream.route("/together/" + round + "/" + i + ".ts", TestUpstream.liveTs(100_000));
                ids.add(api.register(upstream.url("/together/" + round + "/" + i + ".ts")));
            }
            List<Player> players = ids.stream().map(id -> Player.play(playerUrl(id), 1024)).toList();
            try {
                Await.until("every player answered", Duration.ofSeconds(10),
                        () -> players.stream().allMatch(p -> p.status() > 0));
                long playing = players.stream().filter(p -> p.status() == 200).count();
                assertEquals(1, playing, "round " + round + ": one place for " + players.size() + " new streams");
                assertEquals(1, upstream.openConnections(), "round " + round + ": one provider connection");
            } finally {
                players.forEach(Player::close);
                ids.forEach(id -> api.delete("/streams/" + id));
                Await.until("the provider let go", Duration.ofSeconds(10), () -> upstream.openConnections() == 0);
            }
        }
    }

    @Test
    void aStreamRecoveringOnAFullProviderConnectsNoStandbyBesideItsRetry() throws Exception {
        byte[] start = io.sluice.testing.LiveTs.packets(0, 2000);
        upstream.route("/live/st.ts", TestUpstream.firstThen(
                TestUpstream.stallAfter(start, start.length, "video/mp2t"), TestUpstream.stall()));
        upstream.route("/backup/st.ts", TestUpstream.liveTs(200_000));
        String id = api.register(upstream.url("/live/st.ts"),
                "\"failover_urls\":[\"" + upstream.url("/backup/st.ts") + "\"]");
        int[] most = new int[1];
        try (Player p = Player.play(playerUrl(id), 1024)) {
            Await.until("the primary's bytes arrive", Duration.ofSeconds(10), () -> p.total() >= start.length / 2);
            // The retries take seconds; a standby would sit beside them all that time.
            Await.until("bytes from the backup", Duration.ofSeconds(30), () -> {
                most[0] = Math.max(most[0], upstream.openConnections());
                return p.total() > start.length + 100_000;
            });
            assertTrue(upstream.requests("/live/st.ts") >= 2, "the stalled source was retried");
            assertEquals(1, upstream.requests("/backup/st.ts"), "the backup was connected once, at the failover");
            assertEquals(1, most[0], "never two connections to a provider that allows one");
        }
    }
}
