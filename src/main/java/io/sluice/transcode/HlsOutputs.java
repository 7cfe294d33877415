package io.sluice.transcode;

import io.sluice.config.Settings;
import io.sluice.events.Events;
import io.sluice.events.FailoverTriggered;
import io.sluice.events.StreamStopped;
import io.sluice.hlsout.FfmpegRun;
import io.sluice.hlsout.SegmentWindow;
import io.sluice.sources.SourceState;
import io.sluice.streams.Stream;
import io.sluice.support.DaemonThreads;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * HLS output of transcoded streams whose profile asks for {@code -f hls} (M3U Editor's stock HLS profile): one
 * FFmpeg per stream, started by its first player and shared by all, writing MPEG-TS that is cut into a live
 * window in memory. When FFmpeg fails, the stream fails over (SPEC 9.3: its source list, one walk) and a new
 * FFmpeg continues the same window: the media sequence keeps growing and the first new segment is a
 * discontinuity (SPEC 7.2). A manual failover restarts it on the new source at once. Released after
 * {@code STREAM_TIMEOUT} without a player request, and when the stream is deleted.
 */
@ApplicationScoped
public class HlsOutputs {
    private static final Logger LOG = Logger.getLogger(HlsOutputs.class.getName());
    /** How long a playlist request waits for FFmpeg's first segment before the player is told to retry. */
    public static final long FIRST_SEGMENT_WAIT_MILLIS = 15_000;

    @Inject
    Settings settings;
    @Inject
    Ffmpeg ffmpeg;
    @Inject
    Transcoders transcoders;
    @Inject
    Events events;

    private final ConcurrentHashMap<String, Output> outputs = new ConcurrentHashMap<>();
    private ScheduledExecutorService clock;

    @PostConstruct
    void start() {
        clock = DaemonThreads.timer("sluice-hls-output-clock");
        clock.scheduleAtFixedRate(this::releaseIdle, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        clock.shutdownNow();
        outputs.values().forEach(Output::close);
        outputs.clear();
    }

    /** Whether this stream is served by an HLS output here. */
    public static boolean serves(Stream s) {
        return s.spec().transcode() != null && s.spec().transcode().hls() != null;
    }

    /** What a playlist request gets: the text, or a status and a message. */
    public record Answer(int status, String body, String detail) {
    }

    /**
     * The stream's live playlist, starting FFmpeg for the first player; segment URIs carry {@code suffix}. Before
     * the first segment the answer waits for it (at most {@link #FIRST_SEGMENT_WAIT_MILLIS}) without holding a
     * thread: it completes on the thread that adds the segment, or on this output's clock when the wait is over.
     */
    public CompletableFuture<Answer> playlist(Stream stream, String suffix) {
        Output o = outputs.computeIfAbsent(stream.id(), id -> new Output(stream));
        o.touch();
        String refusal = o.ensureRunning();
        if (refusal != null && o.window.isEmpty()) {
            return CompletableFuture.completedFuture(new Answer(503, null, refusal));
        }
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        o.waiting.incrementAndGet();
        Runnable ready = () -> answer.complete(new Answer(200, o.window.playlist("", suffix), null));
        ScheduledFuture<?> giveUp;
        try {
            giveUp = clock.schedule(() -> {
                if (o.window.forget(ready)) {
                    String why = o.failure != null ? o.failure : "The transcoder has no segment yet; try again";
                    answer.complete(new Answer(o.failure != null ? 502 : 503, null, why));
                }
            }, FIRST_SEGMENT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            o.waiting.decrementAndGet();
            return CompletableFuture.completedFuture(new Answer(503, null, "Shutting down"));
        }
        answer.whenComplete((a, e) -> {
            giveUp.cancel(false);
            o.touch(); // idle counts from the answer, not from the question; touched first, so never seen idle
            o.waiting.decrementAndGet();
        });
        o.window.whenFirst(ready);
        return answer;
    }

    public Optional<SegmentWindow.Segment> segment(Stream stream, String name) {
        Output o = outputs.get(stream.id());
        if (o == null) {
            return Optional.empty();
        }
        o.touch();
        return o.window.segment(name);
    }

    /** FFmpeg processes of HLS outputs running now. */
    public int running() {
        int n = 0;
        for (Output o : outputs.values()) {
            n += o.isRunning() ? 1 : 0;
        }
        return n;
    }

    void stopped(@Observes StreamStopped e) {
        Output o = outputs.remove(e.streamId());
        if (o != null) {
            o.close();
        }
    }

    void failedOver(@Observes FailoverTriggered e) {
        Output o = outputs.get(e.streamId());
        if (o != null && e.manual()) {
            o.restart(e.newUrl());
        }
    }

    private void releaseIdle() {
        long idleNanos = settings.streamTimeout().toNanos();
        long now = System.nanoTime();
        List<String> idle = new ArrayList<>();
        outputs.forEach((id, o) -> {
            if (o.waiting.get() == 0 && now - o.lastRequest > Math.max(idleNanos, TimeUnit.SECONDS.toNanos(1))) {
                idle.add(id);
            }
        });
        for (String id : idle) {
            Output o = outputs.remove(id);
            if (o != null) {
                LOG.info(() -> "HLS output of " + id + " released: no player for " + settings.streamTimeout());
                o.close();
            }
        }
    }

    /** A segment's name in the stream's own HLS route ({@code /hls/{id}/t000042.ts}). */
    static String segmentName(long number) {
        return String.format("t%06d.ts", number);
    }

    /** The command of one run: the stream's profile, MPEG-TS out, and a key frame at every segment boundary. */
    List<String> command(Stream stream, URI source) {
        List<String> cmd = new ArrayList<>(ffmpeg.command(source, stream.spec()));
        List<String> args = stream.spec().transcode().arguments();
        if (encodesVideo(args) && !args.contains("-force_key_frames") && !args.contains("-g")) {
            int at = cmd.size() - 3; // before "-f mpegts pipe:1"
            cmd.addAll(at, List.of("-force_key_frames",
                    "expr:gte(t,n_forced*" + stream.spec().transcode().hls().segmentSeconds() + ")"));
        }
        return cmd;
    }

    static boolean encodesVideo(List<String> args) {
        for (int i = 0; i + 1 < args.size(); i++) {
            String name = FfmpegArguments.optionName(args.get(i));
            if ((name.equals("c") && (args.get(i).equals("-c") || args.get(i).startsWith("-c:v")))
                    || name.equals("vcodec") || (name.equals("codec") && args.get(i).startsWith("-codec:v"))) {
                return !args.get(i + 1).equals("copy");
            }
        }
        return false;
    }

    /** One stream's output: its window, kept across runs, and the run now. */
    private final class Output {
        final Stream stream;
        final SegmentWindow window;
        volatile long lastRequest = System.nanoTime();
        /** Playlist requests waiting for the first segment: the output is not idle while there are any. */
        final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
        volatile String failure;
        private FfmpegRun run;
        /** The run whose end by itself {@link #ended} has taken in (guarded by this). */
        private FfmpegRun endHandled;
        private long lastNumber = -1;
        private boolean closed;
        private boolean exhausted;

        Output(Stream stream) {
            this.stream = stream;
            var hls = stream.spec().transcode().hls();
            this.window = new SegmentWindow(hls.listSize(), hls.segmentSeconds(),
                    settings.broadcastWindowMaxMb() * 1024L * 1024L, false);
        }

        void touch() {
            lastRequest = System.nanoTime();
        }

        synchronized boolean isRunning() {
            return run != null && run.isRunning();
        }

        /** Starts FFmpeg when none runs; a refusal's message otherwise (capacity, FFmpeg missing, sources spent). */
        synchronized String ensureRunning() {
            if (closed) {
                return "The stream was stopped";
            }
            if (run != null && (run.isRunning() || run.exit() == null)) {
                return null;
            }
            if (run != null && endHandled != run) {
                // FFmpeg has just ended and its end (a failover to the next source) is being handled: starting
                // again here would read the failed source a second time and make that failover a no-op.
                return null;
            }
            if (exhausted) {
                return failure;
            }
            return startOn(stream.sources().requestUrl());
        }

        synchronized void restart(String url) {
            if (closed) {
                return;
            }
            if (run != null) {
                FfmpegRun old = run;
                run = null;
                old.stop();
                lastNumber = Math.max(lastNumber, old.hasSegments() ? old.finalSegmentNumber() : -1);
            }
            exhausted = false;
            startOn(url);
        }

        private String startOn(String url) {
            if (!ffmpeg.available()) {
                return Ffmpeg.MISSING;
            }
            if (!transcoders.acquire()) {
                return Transcoders.AT_CAPACITY;
            }
            window.discontinuity(); // no mark before anything was shown
            FfmpegRun r = new FfmpegRun(stream.id().substring(0, 8), command(stream, URI.create(url)), window,
                    stream.spec().transcode().hls().segmentSeconds(), lastNumber + 1, HlsOutputs::segmentName,
                    Clock.systemUTC(), this::ended);
            try {
                r.start();
            } catch (IOException e) {
                transcoders.release();
                return Ffmpeg.MISSING;
            }
            r.onExit(transcoders::release);
            run = r;
            failure = null;
            return null;
        }

        /** FFmpeg ended by itself: the source failed or ended, so the next source takes over. */
        private void ended(FfmpegRun r, FfmpegRun.Exit exit) {
            synchronized (this) {
                if (closed || run != r) {
                    return;
                }
                endHandled = r;
                lastNumber = Math.max(lastNumber, r.hasSegments() ? exit.finalSegmentNumber() : -1);
                failure = "The transcoder's source failed: " + (exit.error().isEmpty() ? "exit code " + exit.exitCode()
                        : exit.error());
            }
            SourceState sources = stream.sources();
            String old = sources.requestUrl();
            Optional<SourceState.Move> move = sources.failover(u -> false);
            if (move.isEmpty()) {
                synchronized (this) {
                    exhausted = true;
                }
                LOG.warning(() -> "HLS output of " + stream.id() + ": every source failed");
                return;
            }
            SourceState.Move m = move.get();
            events.fire(new FailoverTriggered(stream.id(), old, m.newUrl(), m.failoverIndex(), m.attempt(),
                    "transcoder_exit", stream.clientCount(), false, stream.spec().metadata(), Instant.now()));
            synchronized (this) {
                if (!closed && run == r) {
                    startOn(m.newUrl());
                }
            }
        }

        synchronized void close() {
            closed = true;
            if (run != null) {
                run.kill();
                run = null;
            }
        }
    }
}
