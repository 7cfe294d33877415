package io.sluice.it;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Await;
import io.sluice.testing.LiveTs;
import io.sluice.testing.Player;
import io.sluice.testing.TestUpstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Live MPEG-TS through the deployed WAR: exact bytes, one shared upstream, packet-aligned joins. */
class LiveRelayIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }


    @Test
    void finiteTsFileArrivesByteForByte() throws Exception {
        byte[] file = new byte[5 * 1024 * 1024 + 100];
        byte[] packets = LiveTs.packets(0, file.length / LiveTs.PACKET);
        System.arraycopy(packets, 0, file, 0, packets.length);
        upstream.route("/vod/file.ts", TestUpstream.file(file, "video/mp2t"));
        String id = api.register(upstream.url("/vod/file.ts"));

        try (Player p = Player.play(playerUrl(id), file.length + 1)) {
            p.ended().get(30, TimeUnit.SECONDS);
            assertEquals(200, p.status());
            assertEquals("video/mp2t", p.header("Content-Type"));
            assertEquals("no-cache, no-store", p.header("Cache-Control"));
            assertArrayEquals(file, p.capturedBytes());
        }
    }

    @Test
    void anyBinaryBodyArrivesByteForByteToAPlayerFromItsStart() throws Exception {
        byte[] file = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(file);
        file[0] = 0; // not '<' or '#': a body that merely is not TS still passes
        upstream.route("/blob", TestUpstream.file(file, "application/octet-stream"));
        String id = api.register(upstream.url("/blob"));
        try (Player p = Player.play(playerUrl(id), file.length + 1)) {
            p.ended().get(30, TimeUnit.SECONDS);
            assertArrayEquals(file, p.capturedBytes());
        }
    }

    @Test
    void fiftyPlayersShareOneUpstreamAndEachStartsOnAPacket() throws Exception {
        upstream.route("/live/news.ts", TestUpstream.liveTs(400_000));
        String id = api.register(upstream.url("/live/news.ts"));
        List<Player> players = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                players.add(Player.play(playerUrl(id) + "?client_id=tv-" + i, 200 * 1024));
            }
            Await.until("every player has 200 KiB", Duration.ofSeconds(30),
                    () -> players.stream().allMatch(p -> p.captured() == 200 * 1024));
            assertEquals(1, upstream.requests("/live/news.ts"), "upstream connections opened");
            assertEquals(1, upstream.openConnections("/live/news.ts"), "upstream connections open");
            for (Player p : players) {
                LiveTs.Check check = LiveTs.check(p.capturedBytes(), false);
                assertTrue(check.ok(), check.problem());
            }
            assertEquals(50, api.clientCount(id));
        } finally {
            players.forEach(Player::close);
        }
    }

    @Test
    void withoutSharingEachPlayerHasItsOwnUpstream() throws Exception {
        upstream.route("/live/own.ts", TestUpstream.liveTs(200_000));
        String id = api.register(upstream.url("/live/own.ts"), "\"shared_upstream\":false");
        List<Player> players = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                players.add(Player.play(playerUrl(id) + "?client_id=own-" + i, 50 * 1024));
            }
            Await.until("three players have data", Duration.ofSeconds(15),
                    () -> players.stream().allMatch(p -> p.captured() == 50 * 1024));
            assertEquals(3, upstream.openConnections("/live/own.ts"));
            for (Player p : players) {
                LiveTs.Check check = LiveTs.check(p.capturedBytes(), false);
                assertTrue(check.ok(), check.problem());
                assertEquals(0, check.firstIndex(), "an own upstream is read from its first byte");
            }
            players.get(0).close();
            Await.until("the leaver's upstream is closed at once", Duration.ofSeconds(2),
                    () -> upstream.openConnections("/live/own.ts") == 2);
        } finally {
            players.forEach(Player::close);
        }
    }
}
