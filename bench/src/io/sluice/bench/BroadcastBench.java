package io.sluice.bench;

import io.sluice.testing.TestMedia;
import io.sluice.testing.TestUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a network broadcast costs (SPEC 12.1): time from {@code POST /broadcast/{id}/start} until a player's
 * {@code live.m3u8} lists a segment, and FFmpeg's CPU while it plays a programme in real time, for a copied and a
 * transcoded programme. The programme is a VOD file of real H.264/AAC (320x240, 25 fps) on loopback.
 */
public final class BroadcastBench {
    private static final int TRIALS = Integer.getInteger("bench.trials", 5);
    private static final int CPU_SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int SEGMENT = Integer.getInteger("bench.segment", 2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private BroadcastBench() {
    }

    public static void main(String[] args) throws Exception {
        String sluice = args[0];
        try (TestUpstream upstream = TestUpstream.start()) {
            upstream.route("/vod/film.ts", TestUpstream.rangedFile(TestMedia.sourceTs(), "video/mp2t"));
            String[][] modes = {
                    {"copy", ""},
                    {"transcode libx264 veryfast", ",\"transcode\":true,\"video_codec\":\"libx264\",\"preset\":\"veryfast\","
                            + "\"video_bitrate\":\"500\",\"audio_bitrate\":96"}};
            for (String[] mode : modes) {
                List<Double> first = new ArrayList<>();
                double cpu = 0;
                for (int i = 0; i < TRIALS; i++) {
                    String network = "bench-" + i;
                    String body = "{\"stream_url\":\"" + upstream.url("/vod/film.ts") + "\",\"seek_seconds\":2,"
                            + "\"duration_seconds\":25,\"segment_duration\":" + SEGMENT + mode[1] + "}";
                    long t0 = System.nanoTime();
                    post(sluice + "/broadcast/" + network + "/start", body);
                    long deadline = t0 + 30_000_000_000L;
                    while (!get(sluice + "/broadcast/" + network + "/live.m3u8").contains("#EXTINF")) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("no segment in 30 s");
                        }
                        Thread.sleep(20); // a bench polls as a player would, finer than any player
                    }
                    first.add((System.nanoTime() - t0) / 1e6);
                    if (i == 0) {
                        cpu = cpuPercent();
                    }
                    HTTP.send(HttpRequest.newBuilder(URI.create(sluice + "/broadcast/" + network)).DELETE().build(),
                            HttpResponse.BodyHandlers.discarding());
                }
                Collections.sort(first);
                System.out.printf("%s (%d s segments): first segment in live.m3u8 p50 %.0f ms, max %.0f ms over %d starts; "
                                + "FFmpeg CPU %.0f%% of one core for a real-time 320x240 programme%n", mode[0], SEGMENT,
                        first.get(first.size() / 2), first.get(first.size() - 1), first.size(), cpu);
            }
        }
        System.exit(0);
    }

    private static double cpuPercent() throws Exception {
        FfmpegCpu cpu = FfmpegCpu.start();
        Thread.sleep(CPU_SECONDS * 1000L); // the measurement window itself
        return cpu.percentOfOneCore();
    }

    private static void post(String url, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("start: " + r.statusCode() + " " + r.body());
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : "";
    }
}
