package io.sluice.bench;

import io.sluice.testing.ConformProcesses;
import io.sluice.testing.LiveTs;
import io.sluice.testing.SpliceSources;
import io.sluice.testing.TestUpstream;
import io.sluice.ts.Pes;
import io.sluice.ts.TsHealth;
import io.sluice.ts.TsPacket;
import io.sluice.ts.TsSplicer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 14/15 figures. (a) ingest cost: ns per packet of the splicer + TS health on a real source, against a
 * plain copy; (b) Sluice's CPU with 100 players on a real TS stream against table-less TS of the same rate;
 * (c) from a source's failure (its last byte at the player) to the first keyframe of the backup at the player;
 * (d) what one stream on a backup whose audio is conformed (MP2 to the AAC players opened) costs in CPU.
 */
public final class SpliceBench {
    private static final int PLAYERS = Integer.getInteger("bench.players", 100);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 15);
    private static final int TRIALS = Integer.getInteger("bench.trials", 10);
    /** The players are spread over this many streams of the same content (issue 15: 100 viewers, 10 streams). */
    private static final int STREAMS = Integer.getInteger("bench.streams", 10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SpliceBench() {
    }

    public static void main(String[] args) throws Exception {
        String sluice = args[0];
        long pid = Long.parseLong(args[1]);
        ingestCost();
        try (TestUpstream upstream = TestUpstream.start()) {
            fanOutCpu(sluice, pid, upstream);
            failureToPicture(sluice, upstream);
            conformCost(sluice, pid, upstream);
        }
        System.exit(0);
    }

    /** (a) In this JVM, single thread: what the ingest adds per packet. */
    private static void ingestCost() {
        byte[] ts = SpliceSources.primary();
        int chunk = 32;
        byte[] out = new byte[2 * chunk * TsSplicer.MAX_OUT_PER_PACKET];
        int packets = ts.length / TsPacket.SIZE / chunk * chunk;
        double spliced = 0;
        double copied = 0;
        for (int round = 0; round < 30; round++) {
            TsSplicer splicer = new TsSplicer(5_000_000_000L);
            TsHealth health = new TsHealth(5_000_000_000L, 0);
            Object feed = new Object();
            long t0 = System.nanoTime();
            for (int k = 0; k < packets; k += chunk) {
                long now = k * 1_000_000L;
                if (out.length < splicer.outputRoom(chunk)) {
                    out = new byte[splicer.outputRoom(chunk)]; // as Ingest does: only for a larger held group
                }
                splicer.process(feed, ts, k * TsPacket.SIZE, chunk, out, 0, now);
                health.observe(ts, k * TsPacket.SIZE, chunk, splicer, now);
            }
            long t1 = System.nanoTime();
            for (int k = 0; k < packets; k += chunk) {
                System.arraycopy(ts, k * TsPacket.SIZE, out, 0, chunk * TsPacket.SIZE);
            }
            long t2 = System.nanoTime();
            if (round >= 10) { // after warm-up
                spliced += (t1 - t0) / (double) packets / 20;
                copied += (t2 - t1) / (double) packets / 20;
            }
        }
        double perSecond5M = 5_000_000 / 8.0 / TsPacket.SIZE;
        System.out.printf("(a) ingest, real H.264/AAC source: splicer + TS health %.1f ns/packet, plain copy %.1f"
                        + " ns/packet; at 5 Mbit/s (%.0f packets/s) that is %.3f %% of one core per stream%n",
                spliced, copied, perSecond5M, spliced * perSecond5M / 1e7);
    }

    /** (b) The same byte rate to 100 players: real TS (tables: rewritten, judged) vs table-less TS (passed). */
    private static void fanOutCpu(String sluice, long pid, TestUpstream upstream) throws Exception {
        byte[] real = SpliceSources.primary();
        int rate = SpliceSources.realTimeRate(real);
        for (int k = 0; k < STREAMS; k++) {
            upstream.route("/cpu/real-" + k + ".ts", TestUpstream.pacedThenReset(real, 0, rate, Integer.MAX_VALUE));
            upstream.route("/cpu/plain-" + k + ".ts", TestUpstream.liveTs(rate));
        }
        for (int round = 0; round < 2; round++) {
            for (String kind : new String[]{"plain", "real"}) {
                List<String> urls = new ArrayList<>();
                for (int k = 0; k < STREAMS; k++) {
                    urls.add(upstream.url("/cpu/" + kind + "-" + k + ".ts"));
                }
                double cpu = playersCpu(sluice, pid, urls);
                System.out.printf("(b) round %d, %d players on %d streams, %s TS at %.0f kB/s each: Sluice CPU %.1f %%"
                        + " of one core%n", round + 1, PLAYERS, STREAMS,
                        kind.equals("real") ? "real (spliced, judged)" : "table-less (passed)", rate / 1000.0, cpu);
            }
        }
    }

    private static double playersCpu(String sluice, long pid, List<String> urls) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String url : urls) {
            ids.add(register(sluice, url, null));
        }
        List<CompletableFuture<?>> players = new ArrayList<>();
        AtomicLong bytes = new AtomicLong();
        for (int i = 0; i < PLAYERS; i++) {
            String id = ids.get(i % ids.size());
            players.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(sluice + "/stream/" + id)).build(),
                    HttpResponse.BodyHandlers.fromSubscriber(new Counting(bytes))));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (bytes.get() < 100_000L * PLAYERS && System.nanoTime() < deadline) {
            Thread.sleep(100); // bench only: let every player start before measuring
        }
        long cpu0 = cpuTicks(pid);
        long t0 = System.nanoTime();
        Thread.sleep(SECONDS * 1000L);
        long cpu1 = cpuTicks(pid);
        long t1 = System.nanoTime();
        for (String id : ids) {
            HTTP.send(HttpRequest.newBuilder(URI.create(sluice + "/streams/" + id)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        players.forEach(p -> p.cancel(true));
        return (cpu1 - cpu0) / ((t1 - t0) / 1e9); // 100 ticks a second: ticks per second = % of one core
    }

    /** (c) Primary dies after 3 s; the backup is live and joined at a random point of its GOP. */
    private static void failureToPicture(String sluice, TestUpstream upstream) throws Exception {
        byte[] a = SpliceSources.primary();
        byte[] b = SpliceSources.backup();
        int rateA = SpliceSources.realTimeRate(a);
        int rateB = SpliceSources.realTimeRate(b);
        List<Double> ms = new ArrayList<>();
        java.util.Random random = new java.util.Random(14);
        for (int i = 0; i < TRIALS; i++) {
            int from = (int) ((2 + random.nextDouble()) * rateB) / TsPacket.SIZE * TsPacket.SIZE;
            upstream.route("/gap/" + i + "/a.ts", TestUpstream.pacedThenReset(a, 0, rateA, 3 * rateA));
            upstream.route("/gap/" + i + "/b.ts", TestUpstream.pacedThenReset(b, from, rateB, Integer.MAX_VALUE));
            String id = register(sluice, upstream.url("/gap/" + i + "/a.ts"), upstream.url("/gap/" + i + "/b.ts"));
            ms.add(trial(sluice, id));
            HTTP.send(HttpRequest.newBuilder(URI.create(sluice + "/streams/" + id)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        Collections.sort(ms);
        System.out.printf("(c) failure (reset, retries 0) to the backup's first keyframe at the player: p50 %.0f ms,"
                + " max %.0f ms over %d trials (backup joined at a random point of its 1 s GOP)%n",
                ms.get(ms.size() / 2), ms.get(ms.size() - 1), ms.size());
    }

    /**
     * Reads packets; the time from the primary's last video packet to the backup's first keyframe. The splice is where
     * the video PID's packet first flags a discontinuity (the splicer's mark), whether the backup's audio was
     * conformed (the PMT then keeps its version) or announced as it is (a new PMT version).
     */
    private static double trial(String sluice, String id) throws Exception {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(sluice + "/stream/" + id)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        byte[] packet = new byte[TsPacket.SIZE];
        long lastPrimary = 0;
        boolean spliced = false;
        long deadline = System.nanoTime() + 20_000_000_000L;
        try (InputStream in = r.body()) {
            while (System.nanoTime() < deadline) {
                if (in.readNBytes(packet, 0, TsPacket.SIZE) < TsPacket.SIZE) {
                    break;
                }
                long now = System.nanoTime();
                int pid = TsPacket.pid(packet, 0);
                spliced |= pid == 0x100 && TsPacket.discontinuity(packet, 0);
                if (!spliced) {
                    if (pid == 0x100) {
                        lastPrimary = now; // the primary's last picture data (the backup's tables come first)
                    }
                } else if (pid == 0x100 && Pes.startsKeyframe(packet, 0, 0x1B)) {
                    return (now - lastPrimary) / 1e6;
                }
            }
        }
        throw new IllegalStateException("no keyframe after the splice");
    }

    /** (d) One player on a stream whose primary dies into the MP2 backup: FFmpeg's CPU and Sluice's meanwhile. */
    private static void conformCost(String sluice, long pid, TestUpstream upstream) throws Exception {
        byte[] a = SpliceSources.primary();
        byte[] b = SpliceSources.backup();
        int rateA = SpliceSources.realTimeRate(a);
        int rateB = SpliceSources.realTimeRate(b);
        upstream.route("/conform/a.ts", TestUpstream.pacedThenReset(a, 0, rateA, 3 * rateA));
        upstream.route("/conform/b.ts", TestUpstream.pacedThenReset(b, 0, rateB, Integer.MAX_VALUE));
        String id = register(sluice, upstream.url("/conform/a.ts"), upstream.url("/conform/b.ts"));
        AtomicLong bytes = new AtomicLong();
        CompletableFuture<?> player = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(sluice + "/stream/" + id)).build(),
                HttpResponse.BodyHandlers.fromSubscriber(new Counting(bytes)));
        long deadline = System.nanoTime() + 20_000_000_000L;
        ProcessHandle conform = null;
        while (conform == null && System.nanoTime() < deadline) {
            conform = ProcessHandle.of(pid).stream().flatMap(ConformProcesses::of).findFirst().orElse(null);
            Thread.sleep(100); // bench only: polling for the process to appear, bounded by the deadline
        }
        if (conform == null) {
            System.out.println("(d) no audio conform appeared within 20 s (FFmpeg missing, or SPLICE_CONFORM_AUDIO=false)");
        } else {
            long sluice0 = cpuTicks(pid);
            long ffmpeg0 = cpuTicks(conform.pid());
            long bytes0 = bytes.get();
            long t0 = System.nanoTime();
            Thread.sleep(SECONDS * 1000L);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("(d) one player on a backup conformed from MP2 to AAC (%.0f kB/s): FFmpeg %.1f %% of one"
                    + " core, Sluice %.1f %%, the player got %.0f kB/s%n", rateB / 1000.0,
                    (cpuTicks(conform.pid()) - ffmpeg0) / seconds, (cpuTicks(pid) - sluice0) / seconds,
                    (bytes.get() - bytes0) / seconds / 1000.0);
        }
        player.cancel(true);
        HttpRequest delete = HttpRequest.newBuilder(URI.create(sluice + "/streams/" + id)).DELETE().build();
        try {
            HTTP.send(delete, HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
            // A pooled connection the server closed while the bench waited: once more on a new one.
            HTTP.send(delete, HttpResponse.BodyHandlers.discarding());
        }
    }

    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    }

    private static String register(String sluice, String url, String backup) throws Exception {
        String body = "{\"url\":\"" + url + "\"" + (backup == null ? "" : ",\"failover_urls\":[\"" + backup + "\"]") + "}";
        return StreamsApi.register(HTTP, sluice, body);
    }

    /** Counts a player's bytes and asks for more at once: a fast player. */
    private static final class Counting implements Flow.Subscriber<List<java.nio.ByteBuffer>> {
        private final AtomicLong bytes;
        private Flow.Subscription subscription;

        Counting(AtomicLong bytes) {
            this.bytes = bytes;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> items) {
            items.forEach(b -> bytes.addAndGet(b.remaining()));
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
        }
    }
}
