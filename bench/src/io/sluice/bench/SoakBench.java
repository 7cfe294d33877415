package io.sluice.bench;

import io.sluice.testing.LiveHls;
import io.sluice.testing.TestUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Soak (issue 13): viewers joining and leaving live TS streams, a manual failover every minute, a webhook that is
 * dead one minute in three, HLS playlists and management listings polled. Every sample interval the Sluice JVM's
 * heap after a full GC, threads, open files and the upstream connections are written as a table row; at the end
 * the last sample is compared with the first one after warm-up. Loopback only; every loop ends at the deadline.
 */
public final class SoakBench {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final int MINUTES = Integer.getInteger("soak.minutes", 30);
    static final int VIEWERS = Integer.getInteger("soak.viewers", 200);
    static final int STREAMS = Integer.getInteger("soak.streams", 10);
    static final int SAMPLE_SECONDS = Integer.getInteger("soak.sampleSeconds", 60);
    static final int FAILOVER_SECONDS = Integer.getInteger("soak.failoverSeconds", 60);
    static final int WARMUP_SAMPLES = Integer.getInteger("soak.warmupSamples", 2);
    static final int RATE = Integer.getInteger("soak.rate", 50_000);
    /** Sources per stream: a failover a minute spread over the streams never runs out of them in 30 minutes. */
    static final int SOURCES = Integer.getInteger("soak.sources", 1 + (MINUTES * 60 / FAILOVER_SECONDS) / STREAMS + 1);

    static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

    static void count(String what) {
        COUNTS.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    public static void main(String[] args) throws Exception {
        String sluice = args[0];
        long pid = Long.parseLong(args[1]);
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(MINUTES);
        System.out.printf("Soak of %s (pid %d): %d min, %d viewers over %d live TS streams (%d sources each, %d B/s),"
                        + " a failover every %d s, webhook dead one minute in three, samples every %d s%n",
                sluice, pid, MINUTES, VIEWERS, STREAMS, SOURCES, RATE, FAILOVER_SECONDS, SAMPLE_SECONDS);
        try (TestUpstream upstream = TestUpstream.start()) {
            List<String> ids = new ArrayList<>();
            for (int s = 0; s < STREAMS; s++) {
                StringBuilder failovers = new StringBuilder();
                for (int k = 0; k < SOURCES; k++) {
                    upstream.route("/live/" + s + "/" + k + ".ts", TestUpstream.liveTs(RATE));
                    if (k > 0) {
                        failovers.append(failovers.length() == 0 ? "" : ",")
                                .append('"').append(upstream.url("/live/" + s + "/" + k + ".ts")).append('"');
                    }
                }
                ids.add(StreamsApi.register(HTTP, sluice, "{\"url\":\"" + upstream.url("/live/" + s + "/0.ts")
                        + "\",\"failover_urls\":[" + failovers + "],\"metadata\":{\"group\":\"g" + (s % 3) + "\"}}"));
            }
            LiveHls.serve(upstream, "/hls", 100);
            String hlsId = StreamsApi.register(HTTP, sluice, "{\"url\":\"" + upstream.url("/hls/index.m3u8") + "\"}");
            long started = System.nanoTime();
            upstream.route("/hook", ex -> {
                ex.readBody();
                long minute = TimeUnit.NANOSECONDS.toMinutes(System.nanoTime() - started);
                if (minute % 3 == 2) {
                    count("webhook refused (dead minute)");
                    ex.reset();
                } else {
                    count("webhook delivered");
                    ex.respond(200, "application/json", "{}".getBytes());
                }
            });
            send(sluice, "POST", "/webhooks", "{\"url\":\"" + upstream.url("/hook") + "\",\"timeout\":2,\"retry_attempts\":1}");

            List<Thread> threads = new ArrayList<>();
            AtomicInteger watching = new AtomicInteger();
            for (int v = 0; v < VIEWERS; v++) {
                int viewer = v;
                threads.add(daemon("viewer-" + v, () -> viewer(sluice, ids, viewer, end, watching)));
            }
            for (int p = 0; p < 4; p++) {
                threads.add(daemon("hls-" + p, () -> hlsPoller(sluice, hlsId, end)));
            }
            threads.add(daemon("editor", () -> editor(sluice, end)));
            threads.add(daemon("failovers", () -> failovers(sluice, ids, end)));
            threads.forEach(Thread::start);

            List<double[]> samples = new ArrayList<>();
            System.out.println();
            System.out.println("| minute | heap after GC MiB | threads | open files | upstream connections | viewers watching |");
            System.out.println("|---:|---:|---:|---:|---:|---:|");
            long nextSample = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAMPLE_SECONDS);
            while (nextSample - end <= 0) {
                sleepUntil(nextSample);
                double[] s = {TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) / 60.0,
                        SluiceJvm.heapMiB(pid), SluiceJvm.threads(pid), SluiceJvm.openFiles(pid),
                        upstream.openConnections(), watching.get()};
                samples.add(s);
                System.out.printf("| %.1f | %.1f | %.0f | %.0f | %.0f | %.0f |%n", s[0], s[1], s[2], s[3], s[4], s[5]);
                nextSample += TimeUnit.SECONDS.toNanos(SAMPLE_SECONDS);
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            System.out.println();
            new java.util.TreeMap<>(COUNTS).forEach((k, v) -> System.out.println(k + ": " + v));
            if (samples.size() > WARMUP_SAMPLES) {
                double[] base = samples.get(WARMUP_SAMPLES - 1 < 0 ? 0 : WARMUP_SAMPLES - 1);
                double[] last = samples.get(samples.size() - 1);
                String[] names = {"minute", "heap after GC", "threads", "open files", "upstream connections"};
                System.out.printf("%nlast sample against minute %.1f (after warm-up):%n", base[0]);
                for (int i = 1; i < names.length; i++) {
                    double change = base[i] == 0 ? 0 : (last[i] - base[i]) / base[i] * 100;
                    System.out.printf("  %s: %.1f → %.1f (%+.1f %%)%s%n", names[i], base[i], last[i], change,
                            Math.abs(change) <= 10 ? "" : "  OUTSIDE 10 %");
                }
            }
        }
    }

    /** One viewer: joins a random stream, watches 5–40 s, leaves, pauses up to 3 s, again until the end. */
    static void viewer(String sluice, List<String> ids, int viewer, long end, AtomicInteger watching) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        byte[] buf = new byte[16384];
        while (System.nanoTime() - end < 0) {
            String id = ids.get(r.nextInt(ids.size()));
            long leave = Math.min(end, System.nanoTime() + TimeUnit.SECONDS.toNanos(5 + r.nextInt(36)));
            HttpURLConnection c = null;
            try {
                c = (HttpURLConnection) URI.create(sluice + "/stream/" + id + "?client_id=soak-" + viewer)
                        .toURL().openConnection();
                c.setConnectTimeout(5000);
                c.setReadTimeout(15000);
                int status = c.getResponseCode();
                count("join " + status);
                if (status == 200) {
                    watching.incrementAndGet();
                    try (InputStream in = c.getInputStream()) {
                        while (System.nanoTime() - leave < 0) {
                            if (in.read(buf) < 0) {
                                count("viewer cut before leaving");
                                break;
                            }
                        }
                    } finally {
                        watching.decrementAndGet();
                    }
                }
            } catch (IOException e) {
                count("viewer error " + e.getClass().getSimpleName());
            } finally {
                if (c != null) {
                    c.disconnect();
                }
            }
            sleepUntil(Math.min(end, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(r.nextInt(3000))));
        }
    }

    /** An HLS player: the playlist every 2 s and its newest segment. */
    static void hlsPoller(String sluice, String id, long end) {
        Pattern segment = Pattern.compile("^(?!#)(\\S+)$", Pattern.MULTILINE);
        while (System.nanoTime() - end < 0) {
            try {
                HttpResponse<String> p = HTTP.send(HttpRequest.newBuilder(URI.create(sluice + "/hls/" + id
                        + "/playlist.m3u8")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                count("playlist " + p.statusCode());
                Matcher m = segment.matcher(p.body());
                String last = null;
                while (m.find()) {
                    last = m.group(1);
                }
                if (last != null) {
                    URI u = URI.create(sluice + "/hls/" + id + "/").resolve(last);
                    count("segment " + HTTP.send(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode());
                }
            } catch (IOException e) {
                count("hls error " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                return;
            }
            sleepUntil(Math.min(end, System.nanoTime() + TimeUnit.SECONDS.toNanos(2)));
        }
    }

    /** M3U Editor's polling: listings, stats and a metadata query every 5 s. */
    static void editor(String sluice, long end) {
        while (System.nanoTime() - end < 0) {
            for (String path : List.of("/streams", "/stats", "/clients", "/streams/by-metadata?field=group&value=g1&active_only=1")) {
                count("editor " + path.replaceAll("\\?.*", "") + " " + send(sluice, "GET", path, null));
            }
            sleepUntil(Math.min(end, System.nanoTime() + TimeUnit.SECONDS.toNanos(5)));
        }
    }

    static void failovers(String sluice, List<String> ids, long end) {
        for (int n = 0; ; n++) {
            sleepUntil(Math.min(end, System.nanoTime() + TimeUnit.SECONDS.toNanos(FAILOVER_SECONDS)));
            if (System.nanoTime() - end >= 0) {
                return;
            }
            count("failover " + send(sluice, "POST", "/streams/" + ids.get(n % ids.size()) + "/failover", ""));
        }
    }

    static int send(String sluice, String method, String path, String json) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sluice + path)).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            String token = System.getenv("API_TOKEN");
            if (token != null && !token.isEmpty()) {
                b.header("X-API-Token", token);
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    static void sleepUntil(long nanos) {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
