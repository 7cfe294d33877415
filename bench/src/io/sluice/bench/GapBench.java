package io.sluice.bench;

import io.sluice.testing.LiveHls;
import io.sluice.testing.LiveTs;
import io.sluice.testing.TestUpstream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a player sees at a failover (issue 11's table): for live TS and HLS, a primary that resets, stalls, answers
 * 503, or is left by a manual failover, with a live backup of the same programme. TS: the longest pause between
 * two reads of one player. HLS: a player polling the playlist every second and fetching each new segment; the
 * longest time between two new segments (2 s is the programme's own pace) and how many segments it got twice
 * (same content under another number). Run against Sluice started with the settings named by args[1].
 */
public final class GapBench {
    private static final int RATE = 500_000;
    private static final int TRIALS = Integer.getInteger("bench.trials", 3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final byte[][] FIXTURES = LiveHls.fixtures();

    private GapBench() {
    }

    public static void main(String[] args) throws Exception {
        String sluice = args[0];
        String label = args[1];
        int hlsStallTrials = Integer.getInteger("bench.hlsStallTrials", TRIALS);
        try (TestUpstream upstream = TestUpstream.start()) {
            for (String kind : new String[]{"reset", "stall", "503", "manual"}) {
                List<Double> gaps = new ArrayList<>();
                for (int i = 0; i < TRIALS; i++) {
                    gaps.add(tsTrial(sluice, upstream, label, kind, i));
                }
                report("TS", kind, label, gaps, -1);
            }
            for (String kind : new String[]{"reset", "stall", "503", "manual"}) {
                List<Double> gaps = new ArrayList<>();
                int replays = 0;
                for (int i = 0; i < (kind.equals("stall") ? hlsStallTrials : TRIALS); i++) {
                    double[] r = hlsTrial(sluice, upstream, label, kind, i);
                    gaps.add(r[0]);
                    replays += (int) r[1];
                }
                report("HLS", kind, label, gaps, replays);
            }
        }
        System.exit(0);
    }

    private static void report(String format, String kind, String label, List<Double> gaps, int replays) {
        Collections.sort(gaps);
        System.out.printf("| %s | %s | %s | %.1f | %.1f | %d |%s%n", format, kind, label,
                gaps.get(gaps.size() / 2) / 1000, gaps.get(gaps.size() - 1) / 1000, gaps.size(),
                replays < 0 ? " - |" : " " + replays + " |");
    }

    private static double tsTrial(String sluice, TestUpstream upstream, String label, String kind, int i)
            throws Exception {
        String base = "/ts/" + label + "/" + kind + "/" + i;
        byte[] start = LiveTs.packets(0, 3000);
        TestUpstream.Handler primary = switch (kind) {
            case "reset" -> TestUpstream.firstThen(TestUpstream.liveTsThenReset(RATE, start.length),
                    TestUpstream.resetAtStart());
            case "stall" -> TestUpstream.firstThen(TestUpstream.stallAfter(start, start.length, "video/mp2t"),
                    TestUpstream.stall());
            case "503" -> TestUpstream.firstThen(TestUpstream.liveTsThenReset(RATE, start.length),
                    TestUpstream.status(503));
            default -> TestUpstream.liveTs(RATE);
        };
        upstream.route(base + "/primary.ts", primary);
        upstream.route(base + "/backup.ts", TestUpstream.liveTs(RATE));
        String id = register(sluice, upstream.url(base + "/primary.ts"), upstream.url(base + "/backup.ts"));
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(sluice + "/stream/" + id)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long total = 0;
        long last = System.nanoTime();
        double maxGapMs = 0;
        boolean switched = false;
        byte[] buf = new byte[16384];
        try (InputStream in = r.body()) {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (total < start.length + 400_000 && System.nanoTime() < deadline) {
                if (kind.equals("manual") && !switched && total >= start.length) {
                    switched = true;
                    post(sluice + "/streams/" + id + "/failover");
                }
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
        delete(sluice, id);
        if (total < start.length + 400_000) {
            throw new IllegalStateException("TS " + kind + " trial " + i + ": the player did not get the backup's bytes");
        }
        return maxGapMs;
    }

    /** {gap ms, segments replayed}. */
    private static double[] hlsTrial(String sluice, TestUpstream upstream, String label, String kind, int i)
            throws Exception {
        String base = "/hls/" + label + "/" + kind + "/" + i;
        LiveHls primary = LiveHls.serve(upstream, base + "/p", 1000);
        primary.sameProgramme(upstream, base + "/b", 7, 0);
        String id = register(sluice, upstream.url(base + "/p/index.m3u8"), upstream.url(base + "/b/index.m3u8"));
        String playlistUrl = sluice + "/hls/" + id + "/playlist.m3u8";
        long lastSeq = -1;
        int lastContent = -1;
        int replays = 0;
        int got = 0;
        int afterBreak = 0;
        boolean broken = false;
        long lastNew = System.nanoTime();
        double maxGapMs = 0;
        long deadline = System.nanoTime() + 150_000_000_000L;
        while (afterBreak < 4 && System.nanoTime() < deadline) {
            HttpResponse<String> p = HTTP.send(HttpRequest.newBuilder(URI.create(playlistUrl))
                    .timeout(Duration.ofSeconds(130)).build(), HttpResponse.BodyHandlers.ofString());
            if (p.statusCode() == 200) {
                long seq = mediaSequence(p.body());
                for (String line : p.body().lines().toList()) {
                    if (line.startsWith("#") || line.isBlank()) {
                        continue;
                    }
                    if (seq > lastSeq) {
                        byte[] segment = HTTP.send(HttpRequest.newBuilder(URI.create(line)).build(),
                                HttpResponse.BodyHandlers.ofByteArray()).body();
                        int content = contentOf(segment);
                        if (lastSeq >= 0 && content >= 0 && content <= lastContent) {
                            replays++;
                        }
                        long now = System.nanoTime();
                        if (lastSeq >= 0) {
                            maxGapMs = broken ? Math.max(maxGapMs, (now - lastNew) / 1e6) : maxGapMs;
                        }
                        lastNew = now;
                        lastSeq = seq;
                        lastContent = Math.max(lastContent, content);
                        got++;
                        afterBreak += broken ? 1 : 0;
                    }
                    seq++;
                }
            }
            if (!broken && got >= 4) {
                broken = true;
                switch (kind) {
                    case "reset" -> upstream.route(base + "/p/index.m3u8", TestUpstream.resetAtStart());
                    case "stall" -> upstream.route(base + "/p/index.m3u8", TestUpstream.stall());
                    case "503" -> upstream.route(base + "/p/index.m3u8", TestUpstream.status(503));
                    default -> post(sluice + "/streams/" + id + "/failover");
                }
            }
            Thread.sleep(1000); // a player's refresh, half the target duration
        }
        delete(sluice, id);
        if (afterBreak < 4) {
            throw new IllegalStateException("HLS " + kind + " trial " + i + ": no segments from the backup");
        }
        return new double[]{maxGapMs, replays};
    }

    /** Which fixture a segment is (content index within the 24 s loop), -1 if none. */
    private static int contentOf(byte[] segment) {
        for (int k = 0; k < FIXTURES.length; k++) {
            if (Arrays.equals(FIXTURES[k], segment)) {
                return k;
            }
        }
        return -1;
    }

    private static long mediaSequence(String playlist) {
        Matcher m = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(playlist);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static void post(String url) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static void delete(String sluice, String id) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(sluice + "/streams/" + id)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static String register(String sluice, String url, String backup) throws Exception {
        String body = "{\"url\":\"" + url + "\",\"failover_urls\":[\"" + backup + "\"]}";
        return StreamsApi.register(HTTP, sluice, body);
    }
}
