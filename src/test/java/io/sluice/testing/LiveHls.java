package io.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A live HLS origin on a {@link TestUpstream}: a sliding window over real TS segments (src/test/resources/media)
 * whose media sequence grows with the clock, a master pointing at it, and the segments themselves.
 * Segment URIs carry their sequence number, so every segment a player asks for is a distinct URL.
 */
public final class LiveHls {
    public static final int SEGMENTS = 12;
    private final byte[][] segments;
    private final int segmentSeconds;
    private final int window;
    private final long startNanos;
    /** The wall clock at the start of the programme, for program date-times. */
    private final long startMillis;
    private final boolean dated;
    /** Segments this origin is behind the programme's live edge (a backend out of sync). */
    private final int lag;
    private final long firstSequence;
    private final AtomicInteger mediaPlaylistRequests = new AtomicInteger();
    /** The edge the playlist is stuck at once frozen; -1 while it advances. */
    private volatile long frozenEdge = -1;
    private final AtomicInteger segmentRequests = new AtomicInteger();

    private LiveHls(long firstSequence, long startNanos, long startMillis, boolean dated, int lag) {
        this.segments = fixtures();
        this.segmentSeconds = 2;
        this.window = 3;
        this.firstSequence = firstSequence;
        this.startNanos = startNanos;
        this.startMillis = startMillis;
        this.dated = dated;
        this.lag = lag;
    }

    /** Routes {@code dir}/master.m3u8, {@code dir}/index.m3u8 and {@code dir}/seg-N.ts on {@code upstream}. */
    public static LiveHls serve(TestUpstream upstream, String dir, long firstSequence) {
        return serve(upstream, dir, new LiveHls(firstSequence, System.nanoTime(), System.currentTimeMillis(), false, 0));
    }

    /** The same, with {@code EXT-X-PROGRAM-DATE-TIME} on every segment. */
    public static LiveHls serveDated(TestUpstream upstream, String dir, long firstSequence) {
        return serve(upstream, dir, new LiveHls(firstSequence, System.nanoTime(), System.currentTimeMillis(), true, 0));
    }

    /**
     * Another origin of this same programme (same content on the same clock, dated alike), numbering from
     * {@code firstSequence} and {@code lag} segments behind: a backup provider, or another backend of a balancer.
     */
    public LiveHls sameProgramme(TestUpstream upstream, String dir, long firstSequence, int lag) {
        return serve(upstream, dir, new LiveHls(firstSequence, startNanos, startMillis, dated, lag));
    }

    private static LiveHls serve(TestUpstream upstream, String dir, LiveHls hls) {
        upstream.route(dir + "/master.m3u8", ex -> ex.respond(200, "application/vnd.apple.mpegurl", text(
                "#EXTM3U\n#EXT-X-VERSION:3\n"
                        + "#EXT-X-STREAM-INF:BANDWIDTH=60000,RESOLUTION=128x72,CODECS=\"avc1.42c00b,mp4a.40.2\"\n"
                        + "index.m3u8\n")));
        upstream.route(dir + "/index.m3u8", ex -> {
            hls.mediaPlaylistRequests.incrementAndGet();
            ex.respond(200, "application/vnd.apple.mpegurl", text(hls.mediaPlaylist()));
        });
        upstream.routePrefix(dir + "/seg-", ex -> {
            String name = ex.path.substring(ex.path.lastIndexOf("/seg-") + 5, ex.path.length() - 3);
            long seq = Long.parseLong(name);
            hls.segmentRequests.incrementAndGet();
            TestUpstream.rangedFile(hls.segment(seq), "video/mp2t").serve(ex);
        });
        return hls;
    }

    /** From now on the media playlist stops advancing, as a broken origin's does (its segments still answer). */
    public void freeze() {
        frozenEdge = liveEdge();
    }

    /** The newest sequence number at this moment. */
    public long liveEdge() {
        long frozen = frozenEdge;
        if (frozen >= 0) {
            return frozen;
        }
        long elapsed = (System.nanoTime() - startNanos) / 1_000_000_000L / segmentSeconds;
        return firstSequence + window - 1 + Math.max(0, elapsed - lag);
    }

    public String mediaPlaylist() {
        long edge = liveEdge();
        long first = Math.max(firstSequence, edge - window + 1);
        StringBuilder b = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + segmentSeconds
                + "\n#EXT-X-MEDIA-SEQUENCE:" + first + "\n");
        for (long s = first; s <= edge; s++) {
            if (s > firstSequence && (s - firstSequence) % SEGMENTS == 0) {
                b.append("#EXT-X-DISCONTINUITY\n"); // the fixtures start over: timestamps jump back
            }
            if (dated) {
                b.append("#EXT-X-PROGRAM-DATE-TIME:").append(java.time.Instant.ofEpochMilli(
                        startMillis + (s - firstSequence) * segmentSeconds * 1000L)).append('\n');
            }
            b.append("#EXTINF:").append(segmentSeconds).append(".000,\nseg-").append(s).append(".ts\n");
        }
        return b.toString();
    }

    public byte[] segment(long sequence) {
        return segments[(int) ((sequence - firstSequence) % SEGMENTS)];
    }

    public int segmentRequests() {
        return segmentRequests.get();
    }

    public int mediaPlaylistRequests() {
        return mediaPlaylistRequests.get();
    }

    public static byte[][] fixtures() {
        byte[][] all = new byte[SEGMENTS][];
        for (int i = 0; i < SEGMENTS; i++) {
            all[i] = resource("/media/seg" + i + ".ts");
        }
        return all;
    }

    public static byte[] resource(String name) {
        try (InputStream in = LiveHls.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
