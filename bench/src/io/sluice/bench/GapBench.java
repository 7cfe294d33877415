package io.sluice.bench;

import io.sluice.testing.LiveTs;
import io.sluice.testing.TestUpstream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gap a player sees when its live stream's upstream breaks (issue 4's figure): the longest pause between
 * two reads around the break, over N trials each of a mid-stream reset and a stall. Sluice must run with
 * STREAM_RETRY_ATTEMPTS=0 and LIVE_CHUNK_TIMEOUT_SECONDS=1 (bench/gap.sh starts it so).
 */
public final class GapBench {
    private static final int RATE = 500_000;
    private static final int TRIALS = Integer.getInteger("bench.trials", 20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GapBench() {
    }

    public static void main(String[] args) throws Exception {
        String sluice = args[0];
        try (TestUpstream upstream = TestUpstream.start()) {
            for (String kind : new String[]{"reset", "stall"}) {
                List<Double> gaps = new ArrayList<>();
                for (int i = 0; i < TRIALS; i++) {
                    gaps.add(trial(sluice, upstream, kind, i));
                }
                Collections.sort(gaps);
                System.out.printf("%s mid-stream (retries 0, failover to a live backup, chunk timeout 1 s): "
                                + "gap p50 %.0f ms, max %.0f ms over %d trials%n", kind, gaps.get(gaps.size() / 2),
                        gaps.get(gaps.size() - 1), gaps.size());
            }
        }
        System.exit(0);
    }

    private static double trial(String sluice, TestUpstream upstream, String kind, int i) throws Exception {
        String primary = "/gap/" + kind + "/" + i + "/primary.ts";
        String backup = "/gap/" + kind + "/" + i + "/backup.ts";
        byte[] start = LiveTs.packets(0, 3000);
        upstream.route(primary, kind.equals("reset")
                ? TestUpstream.liveTsThenReset(RATE, start.length)
                : TestUpstream.stallAfter(start, start.length, "video/mp2t"));
        upstream.route(backup, TestUpstream.liveTs(RATE));
        String id = register(sluice, upstream.url(primary), upstream.url(backup));
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(sluice + "/stream/" + id)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long total = 0;
        long last = System.nanoTime();
        double maxGapMs = 0;
        byte[] buf = new byte[16384];
        try (InputStream in = r.body()) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            // Until a good stretch of the backup has arrived, bounded in time.
            while (total < start.length + 300_000 && System.nanoTime() < deadline) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                long now = System.nanoTime();
                if (total > 0) {
                    maxGapMs = Math.max(maxGapMs, (now - last) / 1e6);
                }
                last = now;
                total += n;
            }
        }
        HTTP.send(HttpRequest.newBuilder(URI.create(sluice + "/streams/" + id)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        if (total < start.length + 300_000) {
            throw new IllegalStateException(kind + " trial " + i + ": the player did not get the backup's bytes");
        }
        return maxGapMs;
    }

    private static String register(String sluice, String url, String backup) throws Exception {
        String body = "{\"url\":\"" + url + "\",\"failover_urls\":[\"" + backup + "\"]}";
        String reply = HTTP.send(HttpRequest.newBuilder(URI.create(sluice + "/streams"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"stream_id\":\"([0-9a-f]{32})\"").matcher(reply);
        if (!m.find()) {
            throw new IllegalStateException("registration failed: " + reply);
        }
        return m.group(1);
    }
}
