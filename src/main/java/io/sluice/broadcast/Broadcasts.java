package io.sluice.broadcast;

import static io.sluice.web.JsonText.JSON;

import io.sluice.config.Settings;
import io.sluice.hlsout.FfmpegRun;
import io.sluice.hlsout.SegmentWindow;
import io.sluice.transcode.Ffmpeg;
import io.sluice.web.ApiException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Network broadcasts (m3u-proxy's {@code /broadcast} routes): at most one FFmpeg per network, cut into the
 * network's live window in memory. A start on a running network replaces its programme: the old FFmpeg is stopped
 * (no callback: the caller asked), numbering continues and the first new segment is a discontinuity. The window
 * outlives a stop, so players and the next programme carry on; {@code DELETE} forgets the network.
 */
@ApplicationScoped
public class Broadcasts {
    private static final Logger LOG = Logger.getLogger(Broadcasts.class.getName());
    static final String AT_CAPACITY = "Broadcast capacity reached (BROADCAST_MAX_CONCURRENT)";

    @Inject
    Settings settings;
    @Inject
    Ffmpeg ffmpeg;
    @Inject
    BroadcastCallbacks callbacks;
    @Inject
    Event<BroadcastEvent> events;

    Clock clock = Clock.systemUTC();

    /** One network: its window (kept across programmes) and its current programme, if any. */
    private static final class Network {
        final SegmentWindow window;
        FfmpegRun current;
        BroadcastRequest request;
        long lastNumber = -1;

        DvrRecording dvr;

        Network(SegmentWindow window) {
            this.window = window;
        }
    }

    private final Map<String, Network> networks = new LinkedHashMap<>();

    public synchronized BroadcastStatus start(String networkId, BroadcastRequest r) {
        if (r.dvrMode() && settings.broadcastDvrDir().isEmpty()) {
            throw new ApiException(422, "dvr_mode keeps every segment on disk, which needs BROADCAST_DVR_DIR; "
                    + "without it broadcast segments live in memory only");
        }
        if (!ffmpeg.available()) {
            throw new ApiException(503, Ffmpeg.MISSING);
        }
        List<String> command;
        try {
            command = BroadcastCommand.of(settings.ffmpegPath(), r, settings.readTimeout().toNanos() / 1000,
                    settings.defaultUserAgent(), device -> Files.exists(Path.of(device)));
        } catch (IllegalArgumentException e) {
            throw ApiException.badInput(e.getMessage().replaceFirst("^profile: ", ""));
        }
        Network n = networks.get(networkId);
        FfmpegRun old = n == null ? null : n.current;
        boolean replacing = old != null && old.isRunning();
        if (!replacing && running() >= settings.broadcastMaxConcurrent()) {
            throw new ApiException(503, AT_CAPACITY);
        }
        long first = r.segmentStartNumber();
        boolean discontinuity = r.addDiscontinuity();
        if (old != null) {
            long fin = old.stop();
            n.lastNumber = Math.max(n.lastNumber, old.hasSegments() ? fin : -1);
            if (first == 0) {
                first = fin + 1; // m3u-proxy: continue after the running programme, with a discontinuity
                discontinuity = true;
            }
        }
        if (n == null) {
            n = new Network(new SegmentWindow(r.hlsListSize(), r.segmentDuration(),
                    settings.broadcastWindowMaxMb() * 1024L * 1024L, false));
            networks.put(networkId, n);
            forgetIdleNetworks();
        }
        if (!n.window.isEmpty() || n.lastNumber >= 0) {
            // Names stay unique and the media sequence only grows; a new FFmpeg restarts its timestamps, so
            // players must be told even when the caller did not ask.
            first = Math.max(first, n.lastNumber + 1);
            discontinuity = true;
        }
        if (discontinuity) {
            n.window.discontinuity();
        }
        if (r.dvrMode() && n.dvr == null) {
            try {
                n.dvr = new DvrRecording(Path.of(settings.broadcastDvrDir().get()), networkId,
                        settings.broadcastDvrMaxMb() * 1024L * 1024L);
            } catch (java.io.UncheckedIOException e) {
                throw new ApiException(503, "The DVR directory cannot be written (BROADCAST_DVR_DIR)");
            }
        }
        Network owner = n;
        FfmpegRun p = new FfmpegRun(networkId, command, n.window, r.segmentDuration(), first, Broadcasts::segmentName, clock,
                (run, exit) -> ended(networkId, owner, run, exit));
        if (r.dvrMode()) {
            p.copyTo(n.dvr::write);
        }
        try {
            p.start();
        } catch (IOException e) {
            throw new ApiException(503, Ffmpeg.MISSING);
        }
        n.current = p;
        n.request = r;
        events.fire(new BroadcastEvent.Started(networkId, first, replacing, clock.instant()));
        LOG.info(() -> "broadcast " + networkId + " started, pid " + p.pid());
        return status(networkId, n);
    }

    /** Stops the network's FFmpeg; empty when it has none. */
    public Optional<BroadcastStatus> stop(String networkId) {
        Network n;
        FfmpegRun p;
        synchronized (this) {
            n = networks.get(networkId);
            p = n == null ? null : n.current;
            if (p == null) {
                return Optional.empty();
            }
        }
        long fin = p.stop();
        synchronized (this) {
            if (n.current == p) {
                n.current = null;
            }
            if (p.hasSegments()) {
                n.lastNumber = Math.max(n.lastNumber, fin);
            }
            BroadcastStatus s = status(networkId, n, p);
            return Optional.of(new BroadcastStatus(s.networkId(), "stopped", fin, s.startedAt(), s.streamUrl(), null,
                    s.ffmpegPid(), s.errorMessage(), s.bytesWritten(), s.metadata(), s.firstSegmentSeconds(),
                    s.segmentsInMemory()));
        }
    }

    /** Stops and forgets the network, segments included; whether there was one. */
    public boolean delete(String networkId) {
        Network n;
        synchronized (this) {
            n = networks.remove(networkId);
        }
        if (n != null && n.current != null) {
            n.current.stop();
        }
        if (n != null && n.dvr != null) {
            n.dvr.delete();
        }
        return n != null;
    }

    public synchronized Optional<BroadcastStatus> status(String networkId) {
        Network n = networks.get(networkId);
        return n == null || n.current == null ? Optional.empty() : Optional.of(status(networkId, n));
    }

    public synchronized List<BroadcastStatus> all() {
        List<BroadcastStatus> out = new ArrayList<>();
        networks.forEach((id, n) -> {
            if (n.current != null) {
                out.add(status(id, n));
            }
        });
        return out;
    }

    /** The network's live playlist; segment URIs are bare names, as FFmpeg's HLS muxer writes them. */
    public synchronized Optional<String> playlist(String networkId) {
        Network n = networks.get(networkId);
        return n == null ? Optional.empty() : Optional.ofNullable(n.window.playlist(""));
    }

    public synchronized Optional<SegmentWindow.Segment> segment(String networkId, String name) {
        Network n = networks.get(networkId);
        return n == null ? Optional.empty() : n.window.segment(name);
    }

    /** FFmpeg processes running now. */
    public synchronized int running() {
        int count = 0;
        for (Network n : networks.values()) {
            count += n.current != null && n.current.isRunning() ? 1 : 0;
        }
        return count;
    }

    public synchronized long bytesInMemory() {
        long b = 0;
        for (Network n : networks.values()) {
            b += n.window.bytes();
        }
        return b;
    }

    private void ended(String networkId, Network n, FfmpegRun p, FfmpegRun.Exit exit) {
        synchronized (this) {
            if (p.hasSegments()) {
                n.lastNumber = Math.max(n.lastNumber, exit.finalSegmentNumber());
            }
        }
        boolean ok = exit.exitCode() == 0;
        Instant now = clock.instant();
        LOG.info(() -> "broadcast " + networkId + (ok ? " programme ended" : " failed: " + error(exit))
                + ", final segment " + exit.finalSegmentNumber());
        events.fire(ok ? new BroadcastEvent.ProgrammeEnded(networkId, exit.finalSegmentNumber(), exit.secondsStreamed(), now)
                : new BroadcastEvent.Failed(networkId, exit.exitCode(), error(exit), now));
        BroadcastRequest r = n.request;
        if (r != null && r.callbackUrl() != null) {
            String hlsDir = r.dvrMode() && n.dvr != null ? n.dvr.dir().toString() : null;
            callbacks.send(r.callbackUrl(), callbackPayload(networkId, ok, exit, now, hlsDir));
        }
    }

    /** FFmpeg's HLS muxer's names in m3u-proxy's command ({@code live%06d.ts}), which M3U Editor matches. */
    static String segmentName(long number) {
        return String.format("live%06d.ts", number);
    }

    /** m3u-proxy's callback body, field for field. */
    static String callbackPayload(String networkId, boolean ok, FfmpegRun.Exit exit, Instant at, String hlsDir) {
        var data = JSON.createObjectBuilder()
                .add("exit_code", exit.exitCode())
                .add("final_segment_number", exit.finalSegmentNumber())
                .add("duration_streamed", exit.secondsStreamed());
        if (!ok) {
            data.add("error", error(exit));
        }
        return JSON.createObjectBuilder()
                .add("network_id", networkId)
                .add("event", ok ? "programme_ended" : "broadcast_failed")
                .add("timestamp", at.toString())
                .add("dvr_mode", hlsDir != null)
                .add("hls_dir", hlsDir == null ? jakarta.json.JsonValue.NULL : JSON.createValue(hlsDir))
                .add("data", data)
                .build().toString();
    }

    private static String error(FfmpegRun.Exit exit) {
        return "FFmpeg exited with code " + exit.exitCode() + (exit.error().isEmpty() ? "" : ": " + exit.error());
    }

    private BroadcastStatus status(String id, Network n) {
        return status(id, n, n.current);
    }

    private BroadcastStatus status(String id, Network n, FfmpegRun p) {
        FfmpegRun.Exit exit = p.exit();
        String state = p.isRunning() ? "running" : exit == null ? "starting" : exit.exitCode() == 0 ? "stopped" : "failed";
        Instant first = p.firstSegmentAt();
        Double latency = first == null || p.startedAt() == null ? null
                : (first.toEpochMilli() - p.startedAt().toEpochMilli()) / 1000.0;
        return new BroadcastStatus(id, state, p.finalSegmentNumber(),
                p.startedAt() == null ? null : p.startedAt().toString(), n.request.streamUrl(),
                n.request.dvrMode() && n.dvr != null ? n.dvr.dir().toString() : null, p.pid(),
                exit == null || exit.exitCode() == 0 ? null : error(exit), p.bytes(), n.request.metadata(), latency,
                n.window.size());
    }

    /** Windows of networks with nothing running are kept for continuity, but only so many. */
    private void forgetIdleNetworks() {
        int keep = Math.max(2, 2 * settings.broadcastMaxConcurrent());
        var it = networks.entrySet().iterator();
        while (networks.size() > keep && it.hasNext()) {
            Network n = it.next().getValue();
            if (n.current == null || !n.current.isRunning()) {
                it.remove();
            }
        }
    }

    /** A previous run's recordings are gone before anything new is written. */
    @PostConstruct
    void sweep() {
        settings.broadcastDvrDir().ifPresent(dir -> {
            int n = DvrRecording.sweep(Path.of(dir));
            if (n > 0) {
                LOG.info(() -> "removed " + n + " DVR recording(s) left in " + dir);
            }
        });
    }

    /** Nothing outlives the application: every FFmpeg is killed, every segment dropped, every recording removed. */
    @PreDestroy
    synchronized void shutdown() {
        networks.values().forEach(n -> {
            if (n.current != null) {
                n.current.kill();
                n.current.stop(); // bounded: waits for the kill, so no recording is written after its removal
            }
            if (n.dvr != null) {
                n.dvr.delete();
            }
        });
        networks.clear();
    }

    /** For {@code /info}-like views and tests: the pids of running FFmpeg processes. */
    public synchronized List<Long> pids() {
        List<Long> out = new ArrayList<>();
        networks.values().forEach(n -> {
            if (n.current != null && n.current.pid() != null && n.current.isRunning()) {
                out.add(n.current.pid());
            }
        });
        return out;
    }
}
