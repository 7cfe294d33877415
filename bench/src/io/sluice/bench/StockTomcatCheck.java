package io.sluice.bench;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.Decoders;
import io.sluice.testing.LiveTs;
import io.sluice.testing.Player;
import io.sluice.testing.RawPlayer;
import io.sluice.testing.SpliceSources;
import io.sluice.testing.TestUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * What the integration tests check in an embedded Tomcat, checked once more in a stock Tomcat 10.1 as users run
 * it (default server.xml: 20 s connection timeout, 200 threads): the player limits answer 503 past
 * {@code MAX_VIEWERS_PER_IP}, and a player paused longer than the connector's timeout is kept (Sluice raises the
 * write timeout of its connection through Tomcat's own classes), and a backup with another audio codec reaches the
 * player conformed to the one it opened. Prints one line per check; exit status 1 when
 * one fails. Run by bench/stock-tomcat.sh, which starts that Tomcat with MAX_VIEWERS_PER_IP=3.
 */
public final class StockTomcatCheck {
    private static final int PER_IP = 3;
    /** Longer than the stock connector's 20 s connectionTimeout, shorter than the PLAYER_PAUSE_LIMIT given. */
    private static final long PAUSE_MILLIS = Long.getLong("check.pauseMillis", 28_000);

    public static void main(String[] args) throws Exception {
        Api api = new Api(args[0]);
        boolean ok = true;
        try (TestUpstream upstream = TestUpstream.start()) {
            upstream.route("/live/news.ts", TestUpstream.liveTs(2_000_000));
            String id = api.register(upstream.url("/live/news.ts"));
            String url = args[0] + "/stream/" + id;
            ok &= admission(url);
            ok &= pausedPlayerIsKept(url);
            api.delete("/streams/" + id);
            ok &= backupAudioIsConformed(api, upstream, args[0]);
        }
        System.out.println(ok ? "ALL CHECKS PASSED" : "SOME CHECKS FAILED");
        System.exit(ok ? 0 : 1);
    }

    private static boolean admission(String url) {
        List<Player> players = new ArrayList<>();
        try {
            for (int i = 0; i < PER_IP; i++) {
                players.add(Player.play(url + "?client_id=p" + i, 1024));
            }
            Await.until("the first players play", Duration.ofSeconds(20),
                    () -> players.stream().allMatch(p -> p.total() > 0));
            Player extra = Player.play(url + "?client_id=extra", 1024);
            players.add(extra);
            Await.until("the extra player is answered", Duration.ofSeconds(20), () -> extra.status() > 0);
            boolean refused = extra.status() == 503;
            report(refused, "player " + (PER_IP + 1) + " from one address answered " + extra.status()
                    + " (MAX_VIEWERS_PER_IP=" + PER_IP + ")");
            players.get(0).close();
            // The leaver's place is given back once Sluice has seen it go: a player asking again gets in then.
            boolean admitted = false;
            int last = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            for (int attempt = 0; !admitted && System.nanoTime() < deadline; attempt++) {
                Player next = Player.play(url + "?client_id=next" + attempt, 1024);
                players.add(next);
                Await.until("a player after one left is answered", Duration.ofSeconds(20), () -> next.status() > 0);
                last = next.status();
                admitted = last == 200;
                if (!admitted) {
                    next.close();
                    LockSupport.parkNanos(Duration.ofMillis(250).toNanos()); // a player's own retry pace
                }
            }
            report(admitted, "a player asking after one left answered " + last);
            return refused && admitted;
        } finally {
            players.forEach(Player::close);
        }
    }

    private static boolean pausedPlayerIsKept(String url) throws IOException {
        // The previous check's players count against the address until Sluice has seen them go.
        RawPlayer p = null;
        int status = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (status != 200 && System.nanoTime() < deadline) {
            if (p != null) {
                p.close();
                LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
            }
            p = RawPlayer.get(url + "?client_id=pauser", "127.0.0.1", 4096);
            status = p.readHead();
        }
        if (status != 200) {
            p.close();
            report(false, "paused player: answered " + status);
            return false;
        }
        try (RawPlayer player = p) {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            seen.write(player.readChunked(200 * 1024));
            long end = System.nanoTime() + PAUSE_MILLIS * 1_000_000;
            while (System.nanoTime() < end) {
                LockSupport.parkNanos(end - System.nanoTime()); // the pause is the subject: a real wait
            }
            int after;
            try {
                byte[] a = player.readChunked(4 * 1024 * 1024);
                seen.write(a);
                after = a.length;
            } catch (IOException cut) {
                after = -1;
            }
            boolean kept = after == 4 * 1024 * 1024;
            report(kept, "a player paused " + PAUSE_MILLIS / 1000 + " s (stock connectionTimeout 20 s) read "
                    + after + " bytes after its pause");
            if (kept) {
                seen.write(player.readChunked(1024 * 1024));
                LiveTs.Check check = LiveTs.check(seen.toByteArray(), true);
                report(check.ok(), "what it read is whole packets in order (live edge after the pause): "
                        + (check.ok() ? "yes" : check.problem()));
                return check.ok();
            }
            return false;
        }
    }

    /**
     * A failover from the primary (AAC) to a backup with MP2: the player still decodes its audio (the conform's
     * FFmpeg runs as a child of this Tomcat).
     */
    private static boolean backupAudioIsConformed(Api api, TestUpstream upstream, String base) throws Exception {
        byte[] a = SpliceSources.primary();
        byte[] b = SpliceSources.backup();
        int rateA = SpliceSources.realTimeRate(a);
        int rateB = SpliceSources.realTimeRate(b);
        upstream.route("/splice/a.ts", TestUpstream.firstThen(
                TestUpstream.pacedThenReset(a, 0, rateA, 4 * rateA / 188 * 188), TestUpstream.status(404)));
        upstream.route("/splice/b.ts", TestUpstream.pacedThenReset(b, 0, rateB, Integer.MAX_VALUE));
        String id = api.register(upstream.url("/splice/a.ts"),
                "\"failover_urls\":[\"" + upstream.url("/splice/b.ts") + "\"]");
        try (Player p = Player.play(base + "/stream/" + id, 4 * 1024 * 1024)) {
            Await.until("4 s of the primary and 5 s of the backup", Duration.ofSeconds(40),
                    () -> p.captured() >= 4 * rateA + 5 * rateB * 3 / 4); // conformed: no stuffing, a quarter less
            byte[] c = p.capturedBytes();
            Path file = Files.createTempFile("stock-splice", ".ts");
            Files.write(file, Arrays.copyOf(c, c.length - c.length % 188));
            Decoders.Probe probe = Decoders.probe(file.toString(), 60);
            Decoders.Decode d = Decoders.decode(file.toString(), 60);
            boolean ok = d.exitCode() == 0 && probe.packetsAfterSplice(1) > 100 && d.failedPackets(1) <= 2
                    && "aac".equals(probe.codecs().get(1));
            report(ok, "after a failover from AAC to an MP2 backup the player's audio decodes: " + probe
                    + ", failed audio packets " + d.failedPackets(1));
            Files.delete(file);
            return ok;
        } finally {
            api.delete("/streams/" + id);
        }
    }

    private static void report(boolean ok, String what) {
        System.out.println((ok ? "PASS " : "FAIL ") + what);
    }
}
