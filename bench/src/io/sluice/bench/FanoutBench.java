package io.sluice.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fan-out benchmark (see bench/README.md): one live TS stream paced at 4 Mbit/s to many viewers, through Sluice
 * (one upstream read for all) and through nginx as a plain streaming proxy (one upstream read per viewer), side
 * by side in one run. Runs with {@code java FanoutBench.java}: no dependencies, one thread for the paced upstream
 * and one selector thread for all viewers, so the bench itself stays small next to what it measures.
 * Loopback only; every step is bounded in viewers and seconds.
 *
 * <p>Arguments: sluiceBase sluicePid nginxBase nginxMasterPid nginxConfOut. The nginx configuration is written
 * by this program (it knows the upstream's port) to nginxConfOut; the script starts nginx on it and passes the
 * pid through the file nginxConfOut + ".pid" once it runs.
 */
public final class FanoutBench {
    static final int RATE = Integer.getInteger("bench.rate", 500_000); // bytes/s: 4 Mbit/s
    static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    static final int WARMUP = Integer.getInteger("bench.warmup", 5);
    static final String STEPS = System.getProperty("bench.steps", "100,300,1000");
    static final int NGINX_MAX = Integer.getInteger("bench.nginxMax", 300);
    static final int STALLED = Integer.getInteger("bench.stalled", 2000);
    static final int PACKET = 188;
    /** Milliseconds between two groups of ten arriving viewers in a step: 200 viewers a second. */
    static final int ARRIVAL_PAUSE = Integer.getInteger("bench.arrivalPause", 50);
    static final StringBuilder profile = new StringBuilder();

    public static void main(String[] args) throws Exception {
        String sluice = args[0];
        long sluicePid = Long.parseLong(args[1]);
        String nginx = args[2];
        Path nginxPidFile = Path.of(args[3]);
        Path nginxConf = Path.of(args[4]);
        try (PacedUpstream up = new PacedUpstream(); Viewers viewers = new Viewers()) {
            Files.writeString(nginxConf, nginxConfig(up.port(), URI.create(nginx).getPort()));
            long nginxPid = waitForPid(nginxPidFile);
            Proc sl = new Proc("Sluice", sluicePid, true);
            Proc ng = new Proc("nginx", nginxPid, false);
            System.out.printf("one live TS stream at %.1f Mbit/s; %d s per step after %d s warm-up; 2 cores shared%n",
                    RATE * 8 / 1e6, SECONDS, WARMUP);
            System.out.printf("idle: Sluice threads %d, heap after GC %.1f MiB, RSS %.0f MiB; nginx RSS %.0f MiB%n",
                    sl.threads(), sl.heapAfterGcMiB(), sl.rssMiB(), ng.rssMiB());

            // Untimed: class loading and JIT of the first streams are not what this bench measures.
            String warm = register(sluice, up.url("/paced/warm"));
            for (int i = 0; i < 3; i++) {
                warmUp(viewers, sluice + "/stream/" + warm);
                warmUp(viewers, nginx + "/paced/warm");
            }

            List<String[]> rows = new ArrayList<>();
            for (String s : STEPS.split(",")) {
                int n = Integer.parseInt(s.trim());
                String id = register(sluice, up.url("/paced/" + n));
                Step a = step(viewers, sl, sluice + "/stream/" + id, n);
                Step b = n <= NGINX_MAX ? step(viewers, ng, nginx + "/paced/" + n, n) : null;
                rows.add(a.row(n, "Sluice"));
                if (b != null) {
                    rows.add(b.row(n, "nginx"));
                    rows.add(ratio(n, a, b));
                }
            }
            // The burst: 100 viewers connect at once to a stream nobody watches yet (the upstream opens for them).
            double[] sb = burst(viewers, sluice + "/stream/" + register(sluice, up.url("/paced/burst")));
            double[] nb = burst(viewers, nginx + "/paced/burst");
            printTable(rows);
            System.out.printf("%nburst of 100 viewers at once on a new stream, first body byte ms p50/max: Sluice %s / %s,"
                    + " nginx %s / %s; Sluice threads after it %d%n", f(sb[0], 1), f(sb[1], 0), f(nb[0], 1), f(nb[1], 0),
                    sl.threads());
            System.out.print(profile);

            String fastId = register(sluice, up.url("/fast/one"));
            double sMBs = unpaced(viewers, sluice + "/stream/" + fastId);
            double nMBs = unpaced(viewers, nginx + "/fast/one");
            System.out.printf("%none viewer unpaced (reads as fast as it can, %d s): Sluice %.0f MB/s, nginx %.0f MB/s, ratio %.2f%n",
                    SECONDS / 2, sMBs, nMBs, sMBs / nMBs);

            if (STALLED > 0) {
                stalled(viewers, sl, sluice, up);
            }
        }
    }

    /** N viewers connect at once to a stream nobody watches yet, read for the step, then 20 more join one by one. */
    static Step step(Viewers viewers, Proc p, String url, int n) throws Exception {
        List<Viewer> vs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            vs.add(viewers.open(url + (url.contains("?") ? "&" : "?") + "client_id=v" + i, false));
            if (i % 10 == 9) {
                Thread.sleep(ARRIVAL_PAUSE); // viewers arrive at a steady rate; the burst is measured on its own
            }
        }
        awaitFirstBytes(vs, 15_000);
        Thread.sleep(WARMUP * 1000L);
        long[] before = bytes(vs);
        Map<String, long[]> tasks0 = p.jvm ? p.taskGroups() : Map.of();
        long cpu0 = p.cpuTicks();
        long t0 = System.nanoTime();
        int maxThreads = 0;
        for (int s = 0; s < SECONDS; s++) {
            Thread.sleep(1000);
            maxThreads = Math.max(maxThreads, p.threads());
        }
        long cpu1 = p.cpuTicks();
        long t1 = System.nanoTime();
        long[] after = bytes(vs);
        double dt = (t1 - t0) / 1e9;
        if (p.jvm) {
            profile.append(String.format("%n%s, %d viewers: CPU %% and voluntary context switches/s per thread group%n", p.name, n));
            Map<String, long[]> tasks1 = p.taskGroups();
            tasks1.entrySet().stream()
                    .map(e -> {
                        long[] a = tasks0.getOrDefault(e.getKey(), new long[3]);
                        long[] b = e.getValue();
                        return new Object[]{e.getKey(), (b[0] - a[0]) / dt, (b[1] - a[1]) / dt, b[2]};
                    })
                    .sorted((x, y) -> Double.compare((double) y[1], (double) x[1]))
                    .limit(8)
                    .forEach(r -> profile.append(String.format("  %-34s %3d threads  %6.1f %%  %8.0f cs/s%n",
                            r[0], (long) r[3], (double) r[1], (double) r[2])));
        }
        long total = 0;
        long slowest = Long.MAX_VALUE;
        for (int i = 0; i < vs.size(); i++) {
            long d = after[i] - before[i];
            total += d;
            slowest = Math.min(slowest, d);
        }
        Step st = new Step();
        st.cpuPct = (cpu1 - cpu0) / 100.0 / dt * 100;
        st.cpuPerGb = (cpu1 - cpu0) / 100.0 / (total / 1e9);
        st.slowestMbit = slowest * 8 / dt / 1e6;
        st.burst = firstByteMillis(vs);
        st.threads = maxThreads;
        st.join = joins(viewers, url);
        st.heap = p.heapAfterGcMiB();
        st.rss = p.rssMiB();
        st.failed = (int) vs.stream().filter(v -> v.closed && v.error != null).count();
        viewers.closeAll(vs);
        Thread.sleep(1500); // let the proxy notice and release before the next step
        return st;
    }

    static double[] burst(Viewers viewers, String url) throws Exception {
        List<Viewer> vs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            vs.add(viewers.open(url + (url.contains("?") ? "&" : "?") + "client_id=b" + i, false));
        }
        awaitFirstBytes(vs, 15_000);
        double[] r = firstByteMillis(vs);
        viewers.closeAll(vs);
        Thread.sleep(1000);
        return r;
    }

    static void warmUp(Viewers viewers, String url) throws Exception {
        List<Viewer> vs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            vs.add(viewers.open(url + (url.contains("?") ? "&" : "?") + "client_id=w" + i, false));
        }
        awaitFirstBytes(vs, 15_000);
        Thread.sleep(2000);
        viewers.closeAll(vs);
        Thread.sleep(500);
    }

    static double[] joins(Viewers viewers, String url) throws Exception {
        double[] ms = new double[20];
        for (int i = 0; i < ms.length; i++) {
            Viewer v = viewers.open(url + (url.contains("?") ? "&" : "?") + "client_id=join" + i, false);
            awaitFirstBytes(List.of(v), 5_000);
            ms[i] = v.firstByteNanos == 0 ? Double.POSITIVE_INFINITY : (v.firstByteNanos - v.startNanos) / 1e6;
            viewers.closeAll(List.of(v));
        }
        Arrays.sort(ms);
        return new double[]{ms[ms.length / 2], ms[ms.length - 1]};
    }

    static double unpaced(Viewers viewers, String url) throws Exception {
        Viewer v = viewers.open(url, false);
        awaitFirstBytes(List.of(v), 10_000);
        Thread.sleep(2000);
        long b0 = v.bytes;
        long t0 = System.nanoTime();
        Thread.sleep(SECONDS * 500L);
        double mbs = (v.bytes - b0) / ((System.nanoTime() - t0) / 1e9) / 1e6;
        viewers.closeAll(List.of(v));
        Thread.sleep(1000);
        return mbs;
    }

    /**
     * Heap a stalled viewer costs: half of STALLED viewers that never read next to one that plays (measured while
     * the heap has room), then the other half (does the player keep playing?).
     */
    static void stalled(Viewers viewers, Proc p, String sluice, PacedUpstream up) throws Exception {
        String id = register(sluice, up.url("/paced/stalled"));
        String url = sluice + "/stream/" + id;
        Viewer keeper = viewers.open(url + "?client_id=keeper", false);
        awaitFirstBytes(List.of(keeper), 10_000);
        Thread.sleep(3000);
        double base = p.heapAfterGcMiB();
        List<Viewer> vs = new ArrayList<>();
        for (int half = 0; half < 2; half++) {
            for (int i = 0; i < STALLED / 2; i++) {
                vs.add(viewers.open(url + "?client_id=stalled" + vs.size(), true));
                if (i % 100 == 99) {
                    Thread.sleep(50); // a steady arrival, not one SYN flood
                }
            }
            Thread.sleep(10_000); // every stalled socket fills and Sluice's writes block
            long k0 = keeper.bytes;
            long t0 = System.nanoTime();
            Thread.sleep(5_000);
            double keeperMbit = (keeper.bytes - k0) * 8 / ((System.nanoTime() - t0) / 1e9) / 1e6;
            double loaded = p.heapAfterGcMiB();
            long connected = vs.stream().filter(v -> !v.closed).count();
            System.out.printf("%nstalled viewers: %d opened, %d still connected; heap after GC %.1f -> %.1f MiB = %.1f KiB per "
                            + "stalled viewer; threads %d; the playing viewer meanwhile %.2f Mbit/s%n",
                    vs.size(), connected, base, loaded, (loaded - base) * 1024 / Math.max(1, connected), p.threads(),
                    keeperMbit);
            if (half == 0) {
                Files.writeString(Path.of("target/bench/fanout-stalled-histogram.txt"), p.jcmd("GC.class_histogram"));
            }
        }
        viewers.closeAll(vs);
        viewers.closeAll(List.of(keeper));
    }

    static void awaitFirstBytes(List<Viewer> vs, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (vs.stream().allMatch(v -> v.firstByteNanos != 0 || v.closed)) {
                return;
            }
            Thread.sleep(5);
        }
    }

    static long[] bytes(List<Viewer> vs) {
        return vs.stream().mapToLong(v -> v.bytes).toArray();
    }

    static double[] firstByteMillis(List<Viewer> vs) {
        double[] ms = vs.stream().filter(v -> v.firstByteNanos != 0)
                .mapToDouble(v -> (v.firstByteNanos - v.startNanos) / 1e6).sorted().toArray();
        if (ms.length == 0) {
            return new double[]{Double.NaN, Double.NaN};
        }
        return new double[]{ms[ms.length / 2], ms[ms.length - 1]};
    }

    static final class Step {
        double cpuPct, cpuPerGb, slowestMbit, heap, rss;
        double[] burst, join;
        int threads, failed;

        String[] row(int n, String who) {
            return new String[]{String.valueOf(n), who, f(cpuPct, 1), f(cpuPerGb, 2), f(slowestMbit, 2),
                    f(burst[0], 1) + " / " + f(burst[1], 0), f(join[0], 1) + " / " + f(join[1], 1),
                    String.valueOf(threads), Double.isNaN(heap) ? "-" : f(heap, 0), f(rss, 0),
                    String.valueOf(failed)};
        }
    }

    static String[] ratio(int n, Step a, Step b) {
        return new String[]{String.valueOf(n), "ratio S/n", f(a.cpuPct / b.cpuPct, 2), f(a.cpuPerGb / b.cpuPerGb, 2),
                f(a.slowestMbit / b.slowestMbit, 3), f(a.burst[0] / b.burst[0], 1) + " / " + f(a.burst[1] / b.burst[1], 1),
                f(a.join[0] / b.join[0], 1) + " / " + f(a.join[1] / b.join[1], 1), "", "", f(a.rss / b.rss, 1), ""};
    }

    static void printTable(List<String[]> rows) {
        String[] head = {"viewers", "proxy", "CPU %", "CPU-s/GB", "slowest Mbit/s", "arrival 1st byte ms p50/max",
                "join ms p50/max", "threads", "heap MiB", "RSS MiB", "failed"};
        StringBuilder sb = new StringBuilder("\n| " + String.join(" | ", head) + " |\n|");
        sb.append("---|".repeat(head.length)).append('\n');
        for (String[] r : rows) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        System.out.print(sb);
    }

    static String f(double v, int decimals) {
        return Double.isNaN(v) ? "-" : Double.isInfinite(v) ? "none" : String.format("%." + decimals + "f", v);
    }

    static String nginxConfig(int upstreamPort, int listenPort) {
        // A plain streaming proxy: no buffering of the response, HTTP/1.1 upstream, one worker (like the issue).
        return """
                worker_processes 1;
                pid %s;
                error_log stderr warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            proxy_pass http://127.0.0.1:%d;
                            proxy_http_version 1.1;
                            proxy_buffering off;
                            proxy_read_timeout 60s;
                        }
                    }
                }
                """.formatted(System.getProperty("bench.nginxPid", "/tmp/fanout-nginx.pid"), listenPort, upstreamPort);
    }

    static long waitForPid(Path file) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (Files.exists(file)) {
                String s = Files.readString(file).trim();
                if (!s.isEmpty()) {
                    return Long.parseLong(s);
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("nginx did not start (no " + file + ")");
    }

    static String register(String sluice, String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sluice + "/streams")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\"}"));
        String token = System.getenv("API_TOKEN");
        if (token != null && !token.isEmpty()) {
            b.header("X-API-Token", token);
        }
        String body = http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"stream_id\":\"([0-9a-f]{32})\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("registration failed: " + body);
        }
        return m.group(1);
    }

    /** A process measured from /proc: CPU of it and its children (nginx workers), threads, RSS, JVM heap. */
    static final class Proc {
        final String name;
        final long pid;
        final boolean jvm;

        Proc(String name, long pid, boolean jvm) {
            this.name = name;
            this.pid = pid;
            this.jvm = jvm;
        }

        List<Long> pids() throws IOException {
            List<Long> all = new ArrayList<>(List.of(pid));
            Path children = Path.of("/proc/" + pid + "/task/" + pid + "/children");
            if (Files.exists(children)) {
                for (String c : Files.readString(children).trim().split("\\s+")) {
                    if (!c.isEmpty()) {
                        all.add(Long.parseLong(c));
                    }
                }
            }
            return all;
        }

        long cpuTicks() throws IOException {
            long sum = 0;
            for (long p : pids()) {
                String stat = Files.readString(Path.of("/proc/" + p + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            }
            return sum;
        }

        int threads() throws IOException {
            int sum = 0;
            for (long p : pids()) {
                sum += (int) status(p, "Threads:");
            }
            return sum;
        }

        /** Per thread group (name without its number): CPU ticks, voluntary context switches, threads. */
        Map<String, long[]> taskGroups() throws Exception {
            Map<String, String> names = new java.util.HashMap<>();
            Matcher m = Pattern.compile("(?m)^\"([^\"]*)\".*? nid=0x([0-9a-f]+)").matcher(jcmd("Thread.print"));
            while (m.find()) {
                names.put(String.valueOf(Long.parseLong(m.group(2), 16)), m.group(1));
            }
            Map<String, long[]> groups = new java.util.TreeMap<>();
            try (var dirs = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path t : (Iterable<Path>) dirs::iterator) {
                    try {
                        String name = names.getOrDefault(t.getFileName().toString(),
                                Files.readString(t.resolve("comm")).trim()).replaceAll("\\d+", "N");
                        String stat = Files.readString(t.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        long cs = 0;
                        for (String line : Files.readAllLines(t.resolve("status"))) {
                            if (line.startsWith("voluntary_ctxt_switches:")) {
                                cs = Long.parseLong(line.substring(24).trim());
                            }
                        }
                        long[] g = groups.computeIfAbsent(name, k -> new long[3]);
                        g[0] += ticks;
                        g[1] += cs;
                        g[2]++;
                    } catch (IOException | RuntimeException gone) {
                        // the thread ended meanwhile
                    }
                }
            }
            return groups;
        }

        double rssMiB() throws IOException {
            double sum = 0;
            for (long p : pids()) {
                sum += status(p, "VmRSS:") / 1024.0;
            }
            return sum;
        }

        static long status(long p, String key) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + p + "/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
            return 0;
        }

        double heapAfterGcMiB() throws Exception {
            if (!jvm) {
                return Double.NaN;
            }
            jcmd("GC.run");
            Matcher m = Pattern.compile("used (\\d+)K").matcher(jcmd("GC.heap_info"));
            return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
        }

        String jcmd(String command) throws Exception {
            Process pr = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
            // A JVM whose heap the stalled viewers exhausted may not answer: the bench goes on without it.
            var reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            if (!pr.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                pr.destroyForcibly();
                return "(jcmd " + command + " did not answer within 60 s)";
            }
            return reader.get();
        }
    }

    /** One viewer connection; fields written by the selector thread, read by the bench's main thread. */
    static final class Viewer {
        final SocketChannel ch;
        final String path;
        final boolean stall;
        final long startNanos = System.nanoTime();
        final StringBuilder head = new StringBuilder();
        volatile boolean headerDone;
        volatile long firstByteNanos;
        volatile long bytes;
        volatile boolean closed;
        volatile String error;
        Loop loop;

        Viewer(SocketChannel ch, String path, boolean stall) {
            this.ch = ch;
            this.path = path;
            this.stall = stall;
        }
    }

    /** Viewers spread over a few selector threads: connect, request, then count body bytes (or stall, never reading). */
    static final class Viewers implements AutoCloseable {
        private final Loop[] loops = new Loop[Integer.getInteger("bench.clientThreads", 2)];
        private int next;

        Viewers() throws IOException {
            for (int i = 0; i < loops.length; i++) {
                loops[i] = new Loop("viewers-" + i);
            }
        }

        Viewer open(String url, boolean stall) throws IOException {
            return loops[next++ % loops.length].open(url, stall);
        }

        void closeAll(List<Viewer> vs) throws InterruptedException {
            for (Loop l : loops) {
                l.commands.add(() -> vs.stream().filter(v -> v.loop == l).forEach(v -> l.close(v, null)));
                l.selector.wakeup();
            }
            long end = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < end && !vs.stream().allMatch(v -> v.closed)) {
                Thread.sleep(5);
            }
        }

        @Override
        public void close() {
            for (Loop l : loops) {
                l.running = false;
                l.selector.wakeup();
            }
        }
    }

    static final class Loop {
        final Selector selector = Selector.open();
        final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
        private final ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
        volatile boolean running = true;

        Loop(String name) throws IOException {
            Thread t = new Thread(this::run, name);
            t.setDaemon(true);
            t.start();
        }

        Viewer open(String url, boolean stall) throws IOException {
            URI u = URI.create(url);
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            if (stall) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            }
            Viewer v = new Viewer(ch, u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()), stall);
            v.loop = this;
            commands.add(() -> {
                try {
                    ch.register(selector, SelectionKey.OP_CONNECT, v);
                    ch.connect(new InetSocketAddress(u.getHost(), u.getPort()));
                } catch (IOException e) {
                    close(v, e.toString());
                }
            });
            selector.wakeup();
            return v;
        }

        private void run() {
            try {
                while (running) {
                    selector.select(100);
                    Runnable r;
                    while ((r = commands.poll()) != null) {
                        r.run();
                    }
                    for (SelectionKey k : selector.selectedKeys()) {
                        Viewer v = (Viewer) k.attachment();
                        try {
                            if (k.isValid() && k.isConnectable()) {
                                v.ch.finishConnect();
                                v.ch.write(ByteBuffer.wrap(("GET " + v.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                        + "User-Agent: fanout-bench\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
                                k.interestOps(SelectionKey.OP_READ);
                            } else if (k.isValid() && k.isReadable()) {
                                read(k, v);
                            }
                        } catch (IOException e) {
                            close(v, e.toString());
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void read(SelectionKey k, Viewer v) throws IOException {
            buf.clear();
            int n = v.ch.read(buf);
            if (n < 0) {
                close(v, v.headerDone ? "ended" : "closed before a response");
                return;
            }
            buf.flip();
            if (!v.headerDone) {
                while (buf.hasRemaining() && !v.headerDone) {
                    v.head.append((char) buf.get());
                    if (v.head.length() >= 4 && v.head.lastIndexOf("\r\n\r\n") == v.head.length() - 4) {
                        v.headerDone = true;
                        if (v.head.indexOf("HTTP/1.1 200") != 0) {
                            close(v, "status: " + v.head.substring(0, v.head.indexOf("\r\n")));
                            return;
                        }
                    }
                }
                if (v.headerDone && v.stall) {
                    k.interestOps(0); // never reads again: its socket fills and the proxy's writes block
                }
            }
            if (buf.remaining() > 0) {
                if (v.firstByteNanos == 0) {
                    v.firstByteNanos = System.nanoTime();
                }
                v.bytes += buf.remaining();
            }
        }

        void close(Viewer v, String why) {
            if (v.closed) {
                return;
            }
            v.error = why;
            try {
                v.ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            v.closed = true;
        }
    }

    /**
     * The live source: {@code /paced/*} sends TS packets at RATE in the chunks a 5 ms pacer makes (like the test
     * upstream), {@code /fast/*} as fast as the reader takes them. One thread, one selector, all connections.
     */
    static final class PacedUpstream implements AutoCloseable {
        private final ServerSocketChannel server = ServerSocketChannel.open();
        private final Selector selector = Selector.open();
        private final byte[] pattern = new byte[PACKET * 16 * 350]; // ~1 MiB of packets, continuity counters cycling
        private final Thread loop = new Thread(this::run, "upstream");
        private volatile boolean running = true;

        PacedUpstream() throws IOException {
            for (int i = 0; i < pattern.length / PACKET; i++) {
                int o = i * PACKET;
                pattern[o] = 0x47;
                pattern[o + 1] = 0x01;
                pattern[o + 2] = 0x00;
                pattern[o + 3] = (byte) (0x10 | (i & 0x0f));
                for (int j = 4; j < PACKET; j++) {
                    pattern[o + j] = (byte) (i * 7 + j);
                }
            }
            server.bind(new InetSocketAddress("127.0.0.1", 0), 2048);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            loop.setDaemon(true);
            loop.start();
        }

        int port() throws IOException {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        }

        String url(String path) throws IOException {
            return "http://127.0.0.1:" + port() + path;
        }

        static final class Conn {
            final StringBuilder request = new StringBuilder();
            ByteBuffer head;
            boolean fast;
            long startNanos;
            long sent;
        }

        private void run() {
            long tick = 5_000_000L;
            long next = System.nanoTime() + tick;
            try {
                while (running) {
                    long wait = Math.max(1, (next - System.nanoTime()) / 1_000_000);
                    selector.select(wait);
                    for (SelectionKey k : selector.selectedKeys()) {
                        try {
                            handle(k);
                        } catch (IOException e) {
                            k.cancel();
                            k.channel().close();
                        }
                    }
                    selector.selectedKeys().clear();
                    long now = System.nanoTime();
                    if (now >= next) {
                        next = now + tick;
                        for (SelectionKey k : selector.keys()) {
                            if (k.attachment() instanceof Conn c && c.head == null && !c.fast && c.startNanos != 0) {
                                try {
                                    pace(k, c, now);
                                } catch (IOException e) {
                                    k.cancel();
                                    k.channel().close();
                                }
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void handle(SelectionKey k) throws IOException {
            if (k.isAcceptable()) {
                SocketChannel ch = server.accept();
                if (ch != null) {
                    ch.configureBlocking(false);
                    ch.register(selector, SelectionKey.OP_READ, new Conn());
                }
                return;
            }
            SocketChannel ch = (SocketChannel) k.channel();
            Conn c = (Conn) k.attachment();
            if (k.isReadable()) {
                ByteBuffer b = ByteBuffer.allocate(4096);
                int n = ch.read(b);
                if (n < 0) {
                    k.cancel();
                    ch.close();
                    return;
                }
                if (c.startNanos == 0) {
                    c.request.append(new String(b.array(), 0, n, StandardCharsets.ISO_8859_1));
                    if (c.request.indexOf("\r\n\r\n") >= 0) {
                        c.fast = c.request.indexOf("GET /fast/") == 0;
                        // Close-delimited body, as many live sources send it.
                        c.head = ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        c.startNanos = System.nanoTime();
                        k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    }
                }
            }
            if (k.isValid() && k.isWritable()) {
                if (c.head != null) {
                    ch.write(c.head);
                    if (c.head.hasRemaining()) {
                        return;
                    }
                    c.head = null;
                    if (!c.fast) {
                        k.interestOps(SelectionKey.OP_READ);
                        return;
                    }
                }
                int off = (int) (c.sent % pattern.length);
                int len = Math.min(pattern.length - off, 256 * 1024);
                c.sent += ch.write(ByteBuffer.wrap(pattern, off, len));
            }
        }

        private void pace(SelectionKey k, Conn c, long now) throws IOException {
            long due = (long) ((now - c.startNanos) / 1e9 * RATE) / PACKET * PACKET;
            if (due - c.sent > RATE && c.sent % PACKET == 0) {
                c.sent = due - RATE; // a reader more than a second behind loses the oldest, like a live source
            }
            SocketChannel ch = (SocketChannel) k.channel();
            while (c.sent < due) {
                int off = (int) (c.sent % pattern.length);
                int len = (int) Math.min(pattern.length - off, due - c.sent);
                int w = ch.write(ByteBuffer.wrap(pattern, off, len));
                c.sent += w;
                if (w < len) {
                    break;
                }
            }
        }

        @Override
        public void close() throws IOException {
            running = false;
            selector.wakeup();
        }
    }
}
