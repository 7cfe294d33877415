package io.sluice.bench;

import io.sluice.testing.TestUpstream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live TS relay benchmark against a running Sluice (see bench/README.md). Loopback only; every phase is bounded
 * in players and seconds. Players are asynchronous (no thread per player here either).
 */
public final class RelayBench {
    private static final int RATE = Integer.getInteger("bench.rate", 1_000_000); // bytes/s of the live stream
    private static final int SECONDS = Integer.getInteger("bench.seconds", 8);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .executor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "bench-http");
                t.setDaemon(true);
                return t;
            }))
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-clock");
        t.setDaemon(true);
        return t;
    });

    private RelayBench() {
    }

    public static void main(String[] args) throws Exception {
        String sluice = args[0];
        long pid = Long.parseLong(args[1]);
        System.out.printf("Sluice %s (pid %d), live TS paced at %.1f MB/s, %d s per phase%n",
                sluice, pid, RATE / 1e6, SECONDS);
        try (TestUpstream upstream = TestUpstream.start()) {
            upstream.route("/live/bench.ts", TestUpstream.liveTs(RATE));
            // The same stream under a second path, so direct players do not count as Sluice's connections.
            upstream.route("/live/direct.ts", TestUpstream.liveTs(RATE));
            String direct = upstream.url("/live/direct.ts");
            String id = StreamsApi.register(HTTP, sluice, "{\"url\":\"" + upstream.url("/live/bench.ts") + "\"}");
            String viaSluice = sluice + "/stream/" + id;

            System.out.printf("%nidle: threads=%d heapUsedAfterGc=%.1f MiB%n", SluiceJvm.threads(pid),
                    SluiceJvm.heapMiB(pid));

            System.out.println("\n(a) throughput, players reading as fast as they can");
            System.out.println("players | via Sluice agg MB/s | per player min/median | direct agg MB/s | per player min/median | ratio agg");
            for (int n : new int[]{1, 10, 100}) {
                Result s = run(viaSluice, n);
                Result d = run(direct, n);
                System.out.printf("%7d | %19.2f | %9.2f / %-9.2f | %15.2f | %9.2f / %-9.2f | %.3f%n", n, s.aggregate,
                        s.min, s.median, d.aggregate, d.min, d.median, s.aggregate / d.aggregate);
            }
            System.out.printf("%n(b) upstream connections opened by Sluice for all phases: %d%n",
                    upstream.requests("/live/bench.ts"));

            System.out.println("\n(d) first byte for a player joining a running stream (20 joins)");
            Players keeper = Players.open(viaSluice + "?client_id=keeper", 1, false);
            waitForBytes(keeper);
            double[] ttfb = new double[20];
            for (int i = 0; i < ttfb.length; i++) {
                ttfb[i] = firstByteMillis(viaSluice + "?client_id=join-" + i);
            }
            Arrays.sort(ttfb);
            System.out.printf("first byte ms: min %.1f  median %.1f  max %.1f%n", ttfb[0], ttfb[10], ttfb[19]);

            System.out.println("\n(c) slow players (each reads 16 KiB per second of a " + RATE / 1e6 + " MB/s stream)");
            double idleHeap = SluiceJvm.heapMiB(pid);
            for (int n : new int[]{100, 500}) {
                Players slow = Players.open(viaSluice + "?client_id=slow", n, true);
                waitForBytes(slow);
                sleep(3000);
                int threads = SluiceJvm.threads(pid);
                System.out.println("  thread groups: " + threadGroups(pid));
                Files.writeString(Path.of("target/bench/heap-histogram-" + n + ".txt"),
                        SluiceJvm.jcmd(pid, "GC.class_histogram"));
                double heap = SluiceJvm.heapMiB(pid);
                System.out.printf("%d slow players: threads=%d heapUsedAfterGc=%.1f MiB (%.1f KiB per player over idle)"
                        + " upstream connections open=%d%n", n, threads, heap, (heap - idleHeap) * 1024 / n,
                        upstream.openConnections("/live/bench.ts"));
                slow.close();
            }
            keeper.close();
        }
        System.exit(0);
    }

    record Result(double aggregate, double min, double median) {
    }

    private static Result run(String url, int n) throws Exception {
        Players p = Players.open(url + (url.contains("?") ? "&" : "?") + "client_id=fast", n, false);
        waitForBytes(p);
        sleep(2000); // past the join burst, so the rate measured is the steady one
        long[] before = p.counts();
        long t0 = System.nanoTime();
        sleep(SECONDS * 1000L);
        long[] after = p.counts();
        double secs = (System.nanoTime() - t0) / 1e9;
        p.close();
        double[] rates = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            rates[i] = (after[i] - before[i]) / secs / 1e6;
            sum += rates[i];
        }
        Arrays.sort(rates);
        return new Result(sum, rates[0], rates[n / 2]);
    }

    private static void waitForBytes(Players p) {
        long end = System.nanoTime() + 30_000_000_000L;
        while (Arrays.stream(p.counts()).anyMatch(c -> c == 0)) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("players got no bytes within 30 s");
            }
            sleep(50);
        }
    }

    private static double firstByteMillis(String url) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<java.io.InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (var in = r.body()) {
            if (in.read() < 0) {
                throw new IllegalStateException("empty body");
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /** A group of asynchronous players counting bytes; slow ones ask for the next chunk once a second. */
    static final class Players {
        final List<Counting> all = new ArrayList<>();

        static Players open(String url, int n, boolean slow) {
            Players p = new Players();
            for (int i = 0; i < n; i++) {
                Counting c = new Counting(slow);
                p.all.add(c);
                String u = url + "-" + i;
                HTTP.sendAsync(HttpRequest.newBuilder(URI.create(u)).build(), info -> c);
                if (i % 50 == 49) {
                    sleep(100); // ramp up: a burst of 500 connects is not what is measured
                }
            }
            return p;
        }

        long[] counts() {
            return all.stream().mapToLong(c -> c.bytes.get()).toArray();
        }

        void close() {
            all.forEach(Counting::cancel);
        }
    }

    static final class Counting implements HttpResponse.BodySubscriber<Void> {
        final AtomicLong bytes = new AtomicLong();
        final boolean slow;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile Flow.Subscription subscription;

        Counting(boolean slow) {
            this.slow = slow;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                bytes.addAndGet(b.remaining());
            }
            if (slow) {
                CLOCK.schedule(() -> subscription.request(1), 1, TimeUnit.SECONDS);
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            done.complete(null);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> getBody() {
            return done;
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    /** Thread names with their trailing numbers cut, counted: which pools the threads belong to. */
    static String threadGroups(long pid) throws IOException, InterruptedException {
        java.util.Map<String, Integer> groups = new java.util.TreeMap<>();
        String dump = SluiceJvm.jcmd(pid, "Thread.print");
        Matcher m = Pattern.compile("^\"([^\"]*)\"", Pattern.MULTILINE).matcher(dump);
        while (m.find()) {
            groups.merge(m.group(1).replaceAll("[-#]?\\d+$", ""), 1, Integer::sum);
        }
        return groups.toString();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
