package io.sluice.transcode;

import io.sluice.config.Settings;
import io.sluice.streams.StreamSpec;
import io.sluice.ts.AudioChange;
import io.sluice.upstream.BodySink;
import io.sluice.upstream.Feed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts transcoders and bounds how many run at once ({@code TRANSCODE_MAX_PROCESSES}): each takes CPU cores. */
@ApplicationScoped
public class Transcoders {
    /** What a player is told when every process slot is taken. */
    public static final String AT_CAPACITY = "Transcoding capacity reached (TRANSCODE_MAX_PROCESSES)";

    @Inject
    Settings settings;
    @Inject
    Ffmpeg ffmpeg;

    private final AtomicInteger running = new AtomicInteger();
    /** Audio conforms running: counted apart, since one costs a few per cent of a core where a transcode takes one. */
    private final AtomicInteger conforming = new AtomicInteger();

    /**
     * A transcoder for {@code source}, not yet started: the caller makes it its feed first, then starts it. The
     * process slot is taken now, so two streams starting together cannot both count on the last one; without a
     * slot the transcoder's start reports a local refusal (503) instead of running.
     */
    public TranscoderProcess process(String streamId, URI source, StreamSpec spec, BodySink sink) {
        return new TranscoderProcess(streamId, ffmpeg.command(source, spec), source, sink,
                new ProcessSlot(acquire(), this::release));
    }

    /**
     * An audio conform between a live source's connection ({@code input}) and its relay ({@code output}), not yet
     * started; null when FFmpeg is not known to be here or {@code SPLICE_CONFORM_MAX_PROCESSES} conforms run
     * already, and the source then goes to players as it is. Never waits: called on an upstream I/O thread.
     */
    public AudioConform conform(String streamId, AudioChange change, Feed input, BodySink output) {
        if (!ffmpeg.availableNow() || !take(conforming, settings.spliceConformMaxProcesses())) {
            return null;
        }
        return new AudioConform(streamId, ffmpeg.conformCommand(change), input, output,
                new ProcessSlot(true, conforming::decrementAndGet));
    }

    /** Audio conforms running now. */
    public int conforming() {
        return conforming.get();
    }

    /** Whether a new transcoded stream can start now (FFmpeg is there and a process slot is free). */
    public boolean canStart() {
        return running.get() < settings.transcodeMaxProcesses() && ffmpeg.available();
    }

    public int running() {
        return running.get();
    }

    boolean acquire() {
        return take(running, settings.transcodeMaxProcesses());
    }

    private static boolean take(AtomicInteger count, int max) {
        while (true) {
            int n = count.get();
            if (n >= max) {
                return false;
            }
            if (count.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        running.decrementAndGet();
    }
}
