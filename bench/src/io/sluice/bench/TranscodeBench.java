package io.sluice.bench;

import io.sluice.testing.TestMedia;
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

/**
 * What a transcoded stream costs (SPEC 12): time from a player's request to its first transcoded byte, and the
 * CPU FFmpeg uses while one player watches, per profile. The source is real H.264/AAC (320x240, 25 fps) served
 * live at real-time pace from loopback.
 */
public final class TranscodeBench {
    private static final int TRIALS = Integer.getInteger("bench.trials", 5);
    private static final int CPU_SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TranscodeBench() {
    }

    public static void main(String[] args) throws Exception {
        String sluice = args[0];
        byte[] media = TestMedia.sourceTs();
        try (TestUpstream upstream = TestUpstream.start()) {
            for (String profile : new String[]{"lowlatency", "default", "hevc"}) {
                List<Double> firstByte = new ArrayList<>();
                double cpu = 0;
                for (int i = 0; i < TRIALS; i++) {
                    String path = "/bench/" + profile + "/" + i + ".ts";
                    upstream.route(path, TestUpstream.paced(media, TestMedia.bytesPerSecond(1)));
                    String id = register(sluice, upstream.url(path), profile);
                    long t0 = System.nanoTime();
                    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(sluice + "/stream/" + id)).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    try (InputStream in = r.body()) {
                        byte[] buf = new byte[65536];
                        if (in.read(buf) < 0) {
                            throw new IllegalStateException("no transcoded byte: " + r.statusCode());
                        }
                        firstByte.add((System.nanoTime() - t0) / 1e6);
                        if (i == 0) {
                            cpu = cpuPercentWhileReading(in, buf);
                        }
                    }
                    delete(sluice, id);
                }
                Collections.sort(firstByte);
                System.out.printf("%s: first transcoded byte p50 %.0f ms, max %.0f ms over %d players; "
                                + "FFmpeg CPU %.0f%% of one core for a real-time 320x240 source%n", profile,
                        firstByte.get(firstByte.size() / 2), firstByte.get(firstByte.size() - 1), firstByte.size(), cpu);
            }
        }
        System.exit(0);
    }

    /** Reads the stream for a while and measures the CPU time of the FFmpeg processes meanwhile. */
    private static double cpuPercentWhileReading(InputStream in, byte[] buf) throws Exception {
        FfmpegCpu cpu = FfmpegCpu.start();
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < CPU_SECONDS * 1_000_000_000L) {
            if (in.read(buf) < 0) {
                break;
            }
        }
        return cpu.percentOfOneCore();
    }

    private static String register(String sluice, String url, String profile) throws Exception {
        String body = "{\"url\":\"" + url + "\",\"profile\":\"" + profile + "\"}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(sluice + "/transcode"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("register: " + r.statusCode() + " " + r.body());
        }
        int at = r.body().indexOf("\"stream_id\":\"") + 13;
        return r.body().substring(at, r.body().indexOf('"', at));
    }

    private static void delete(String sluice, String id) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(sluice + "/streams/" + id)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
