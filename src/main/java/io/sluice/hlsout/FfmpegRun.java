package io.sluice.hlsout;

import io.sluice.support.DaemonThreads;
import io.sluice.support.LastErrorLine;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One FFmpeg run writing MPEG-TS to its standard output (a broadcast's programme, a transcoded stream's HLS
 * output on one source): reads it, cuts it into a {@link SegmentWindow} and numbers the segments from
 * {@code firstNumber}, named by {@code names}. One thread reads standard output (a pipe cannot be read without blocking),
 * another keeps the last line of standard error, with URLs removed, to say why it failed. When FFmpeg ends by
 * itself, {@code ended} is told once; not when it was stopped.
 */
public final class FfmpegRun {
    private static final long STOP_GRACE_SECONDS = 5;

    /** How a run ended by itself: FFmpeg's exit code and what it said last. */
    public record Exit(int exitCode, String error, long finalSegmentNumber, double secondsStreamed) {
    }

    public interface Ended {
        void ended(FfmpegRun p, Exit exit);
    }

    private final String name;
    private final List<String> command;
    private final SegmentWindow window;
    private final int segmentSeconds;
    private final long firstNumber;
    private final Clock clock;
    private final Ended ended;
    private final java.util.function.LongFunction<String> names;
    private volatile java.util.function.Consumer<SegmentWindow.Segment> copies = s -> { };
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Process process;
    private volatile boolean stopping;
    private volatile long lastNumber = -1;
    private volatile long bytes;
    private final LastErrorLine lastError = new LastErrorLine();
    private volatile Instant startedAt;
    private volatile Instant firstSegmentAt;
    private volatile Exit exit;

    public FfmpegRun(String name, List<String> command, SegmentWindow window, int segmentSeconds, long firstNumber,
                     java.util.function.LongFunction<String> names, Clock clock, Ended ended) {
        this.names = names;
        this.name = name;
        this.command = command;
        this.window = window;
        this.segmentSeconds = segmentSeconds;
        this.firstNumber = firstNumber;
        this.clock = clock;
        this.ended = ended;
    }

    /** Where each segment also goes (a recording), on the reader's thread; set before {@link #start()}. */
    public void copyTo(java.util.function.Consumer<SegmentWindow.Segment> sink) {
        copies = sink;
    }

    /** Spawns FFmpeg; throws when it cannot be run at all. */
    public void start() throws IOException {
        Process p = new ProcessBuilder(command).start();
        process = p;
        startedAt = clock.instant();
        p.getOutputStream().close();
        lastError.follow(p, "sluice-ffmpeg-log");
        DaemonThreads.named("sluice-ffmpeg-" + name).newThread(() -> run(p)).start();
    }

    private void run(Process p) {
        TsSegmenter segmenter = new TsSegmenter(segmentSeconds, cut -> {
            long number = lastNumber < 0 ? firstNumber : lastNumber + 1;
            copies.accept(window.add(names.apply(number), cut.bytes(), cut.seconds(), clock.instant()));
            bytes += cut.bytes().length;
            lastNumber = number;
            if (firstSegmentAt == null) {
                firstSegmentAt = clock.instant();
            }
        });
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = p.getInputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                segmenter.accept(buf, 0, n);
            }
            if (!stopping) {
                segmenter.finish(); // the programme's end is its last segment; a stop drops the partial one
            }
        } catch (IOException e) {
            // The pipe closed under us: a stop, or FFmpeg died; the exit code tells which.
        }
        int code = waitFor(p);
        Exit e = new Exit(code, lastError.afterExit(), finalSegmentNumber(), secondsStreamed());
        exit = e;
        done.countDown();
        if (!stopping) {
            ended.ended(this, e);
        }
    }

    private static int waitFor(Process p) {
        try {
            if (!p.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            }
            return p.isAlive() ? -1 : p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return -1;
        }
    }

    /** Asks FFmpeg to end (then forces it) and waits, bounded, until its output is read to the end. */
    public long stop() {
        stopping = true;
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                done.await(2 * STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        return finalSegmentNumber();
    }

    /** Runs {@code action} once the process has exited (at once when it never started). */
    public void onExit(Runnable action) {
        Process p = process;
        if (p == null) {
            action.run();
        } else {
            p.onExit().thenRun(action);
        }
    }

    /** Kills FFmpeg without waiting (shutdown). */
    public void kill() {
        stopping = true;
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /** The last segment's number, or the first number when none was cut yet (as m3u-proxy reports it). */
    public long finalSegmentNumber() {
        long last = lastNumber;
        return last < 0 ? firstNumber : last;
    }

    public boolean hasSegments() {
        return lastNumber >= 0;
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive() && exit == null;
    }

    public Long pid() {
        Process p = process;
        return p == null ? null : p.pid();
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant firstSegmentAt() {
        return firstSegmentAt;
    }

    public long bytes() {
        return bytes;
    }

    public Exit exit() {
        return exit;
    }

    public String lastError() {
        return lastError.get();
    }

    private double secondsStreamed() {
        Instant s = startedAt;
        return s == null ? 0 : (clock.millis() - s.toEpochMilli()) / 1000.0;
    }
}
