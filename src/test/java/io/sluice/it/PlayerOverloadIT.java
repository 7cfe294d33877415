package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Await;
import io.sluice.testing.Player;
import io.sluice.testing.RawPlayer;
import io.sluice.testing.TestUpstream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Overload is refused at the door (issue 13 item 2): sockets that ask for a stream and never read are held to a
 * bound per address and in all; past it, new players get 503 with a detail, and the server keeps answering.
 * The bounds are small here so a few hundred sockets show it; bench/stalled.sh runs 2,000 against a small heap.
 */
class PlayerOverloadIT extends SluiceIT {
    private static final int PER_IP = 10;
    private static final int TOTAL = 40;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("MAX_VIEWERS", String.valueOf(TOTAL), "MAX_VIEWERS_PER_IP", String.valueOf(PER_IP)));
    }

    private static void closeAll(List<RawPlayer> sockets) {
        sockets.forEach(RawPlayer::close);
    }

    @Test
    void hundredsOfStalledPlayersFromOneAddressLeaveEveryoneElsePlaying() throws Exception {
        upstream.route("/live/ch.ts", TestUpstream.liveTs(200_000));
        String id = api.register(upstream.url("/live/ch.ts"));
        List<RawPlayer> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                stalled.add(RawPlayer.get(playerUrl(id), "127.0.0.2", 4096));
            }
            int admitted = 0;
            int refused = 0;
            for (RawPlayer p : stalled) {
                int status = p.readHead(); // the head only: the admitted ones stall on their bodies
                if (status == 200) {
                    admitted++;
                } else {
                    assertEquals(503, status);
                    String body = new String(p.readBody(Long.parseLong(p.header("content-length"))), StandardCharsets.UTF_8);
                    assertTrue(body.contains("\"detail\"") && body.contains("this address"), body);
                    refused++;
                }
            }
            assertEquals(PER_IP, admitted);
            assertEquals(300 - PER_IP, refused);

            try (Player fresh = Player.play(playerUrl(id) + "?client_id=fresh", 64 * 1024)) {
                Await.until("a viewer from another address plays", Duration.ofSeconds(10), () -> fresh.captured() == 64 * 1024);
                assertEquals(200, fresh.status());
            }
            assertEquals(200, api.send(api.request("/health/live").GET().build()).status());
        } finally {
            closeAll(stalled);
        }
    }

    @Test
    void pastTheTotalNewPlayersAreRefusedUntilPlacesFreeUp() throws Exception {
        upstream.route("/live/ch2.ts", TestUpstream.liveTs(200_000));
        String id = api.register(upstream.url("/live/ch2.ts"));
        List<RawPlayer> stalled = new ArrayList<>();
        try {
            for (int ip = 3; ip < 3 + TOTAL / PER_IP; ip++) {
                for (int i = 0; i < PER_IP; i++) {
                    RawPlayer p = RawPlayer.get(playerUrl(id), "127.0.0." + ip, 4096);
                    stalled.add(p);
                    assertEquals(200, p.readHead());
                }
            }
            try (RawPlayer one = RawPlayer.get(playerUrl(id), "127.0.0.20", 0)) {
                assertEquals(503, one.readHead());
                String body = new String(one.readBody(Long.parseLong(one.header("content-length"))), StandardCharsets.UTF_8);
                assertTrue(body.contains("as many players"), body);
            }
            assertEquals(200, api.send(api.request("/health/live").GET().build()).status(), "the server still answers");

            stalled.subList(0, 5).forEach(RawPlayer::close);
            Await.until("a place is free again once stalled players leave", Duration.ofSeconds(10), () -> {
                try (RawPlayer again = RawPlayer.get(playerUrl(id), "127.0.0.21", 0)) {
                    return again.readHead() == 200;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        } finally {
            closeAll(stalled);
        }
    }
}
