package io.sluice.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU Sluice's FFmpeg processes (transcoders, broadcasts: every ffmpeg writing to a pipe) use over a window,
 * from their user and system ticks in /proc, as a percentage of one core.
 */
final class FfmpegCpu {
    private static final long TICKS = 100; // USER_HZ on Linux

    private final long ticksBefore;
    private final long startNanos;

    private FfmpegCpu(long ticksBefore, long startNanos) {
        this.ticksBefore = ticksBefore;
        this.startNanos = startNanos;
    }

    /** A window that starts now. */
    static FfmpegCpu start() throws Exception {
        long before = ticks();
        return new FfmpegCpu(before, System.nanoTime());
    }

    /** Percent of one core the FFmpeg processes used since {@link #start}. */
    double percentOfOneCore() throws Exception {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return (ticks() - ticksBefore) / (double) TICKS / seconds * 100;
    }

    /** user + system ticks of every process whose command is ffmpeg writing to a pipe. */
    private static long ticks() throws Exception {
        long sum = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (cmd.startsWith("ffmpeg ") && cmd.contains("pipe:1")) {
                        String stat = Files.readString(p.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        sum += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                    }
                } catch (Exception gone) {
                    // the process ended meanwhile
                }
            }
        }
        return sum;
    }
}
