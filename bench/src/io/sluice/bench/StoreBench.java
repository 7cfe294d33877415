package io.sluice.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the store costs and gives (SPEC 14), one step per call, driven by bench/store.sh:
 * {@code register BASE N LABEL}: N registrations one after another, latency p50/p99/max;
 * {@code await BASE N LABEL}: how long from now until BASE answers ready and lists N streams;
 * {@code refused BASE N LABEL}: N registrations while the store is down, how fast each is refused.
 */
public final class StoreBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StoreBench() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[1];
        int n = Integer.parseInt(args[2]);
        String label = args[3];
        switch (args[0]) {
            case "register" -> report(label, n + " registrations", registrations(base, n, 200));
            case "refused" -> report(label, n + " registrations refused (503)", registrations(base, n, 503));
            case "await" -> {
                long t0 = System.nanoTime();
                long deadline = t0 + Duration.ofMinutes(3).toNanos();
                while (listed(base) < n) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("never listed " + n + " streams");
                    }
                    Thread.sleep(50);
                }
                System.out.printf("%s: ready and listing all %d streams %.1f s after the server answered%n", label, n,
                        (System.nanoTime() - t0) / 1e9);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static List<Double> registrations(String base, int n, int expected) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = "{\"url\":\"http://127.0.0.1:9/bench/store/" + i + ".ts\",\"metadata\":{\"channel_id\":\"" + i + "\"}}";
            long t0 = System.nanoTime();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/streams"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            ms.add((System.nanoTime() - t0) / 1e6);
            if (r.statusCode() != expected) {
                throw new IllegalStateException("registration " + i + ": " + r.statusCode() + " " + r.body());
            }
        }
        return ms;
    }

    private static int listed(String base) {
        try {
            HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (ready.statusCode() != 200) {
                return -1;
            }
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/streams")).build(),
                    HttpResponse.BodyHandlers.ofString());
            int count = 0;
            for (int at = r.body().indexOf("\"stream_id\""); at >= 0; at = r.body().indexOf("\"stream_id\"", at + 1)) {
                count++;
            }
            return count;
        } catch (Exception e) {
            return -1;
        }
    }

    private static void report(String label, String what, List<Double> ms) {
        Collections.sort(ms);
        System.out.printf("%s: %s: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", label, what, ms.get(ms.size() / 2),
                ms.get((int) (ms.size() * 0.99)), ms.get(ms.size() - 1));
    }
}
