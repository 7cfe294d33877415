package io.sluice.transcode;

import io.sluice.support.DaemonThreads;
import io.sluice.support.LastErrorLine;
import io.sluice.upstream.BodySink;
import io.sluice.upstream.Feed;
import io.sluice.upstream.UpstreamFailure;
import io.sluice.upstream.UpstreamFailureException;
import io.sluice.upstream.UpstreamResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One FFmpeg process as a live relay's feed. A thread reads its standard output only while the relay has room
 * ({@link ProcessOutput}: a full pipe then holds FFmpeg, and FFmpeg its source); a second thread
 * keeps the last line FFmpeg wrote to standard error, to say why it ended. Both threads belong to the process,
 * not to a player: there is at most one process per transcoded stream.
 */
public final class TranscoderProcess implements Feed {
    private static final Pattern HTTP_STATUS = Pattern.compile("(?:HTTP error|Server returned) (\\d{3})");

    private final String streamId;
    private final List<String> command;
    private final URI source;
    private final BodySink sink;
    private final ProcessOutput output = new ProcessOutput();
    private volatile Process process;
    private final LastErrorLine lastError = new LastErrorLine();
    /** The process slot this transcoder was given, if one was free; without one it does not run. */
    private final ProcessSlot slot;

    TranscoderProcess(String streamId, List<String> command, URI source, BodySink sink, ProcessSlot slot) {
        this.streamId = streamId;
        this.command = command;
        this.source = source;
        this.sink = sink;
        this.slot = slot;
    }

    /** Starts FFmpeg on its own thread; every outcome, a failure to start included, reaches the sink. */
    public void start() {
        DaemonThreads.named("sluice-transcoder-" + streamId.substring(0, Math.min(8, streamId.length())))
                .newThread(this::run).start();
    }

    @Override
    public boolean isPaused() {
        return output.isPaused();
    }

    @Override
    public void resume() {
        output.resume();
    }

    @Override
    public void stop() {
        output.stop();
        Process p = process;
        if (p != null) {
            end(p);
        }
    }

    private void run() {
        if (!slot.held()) {
            sink.onFailure(UpstreamFailure.transcoder(503, Transcoders.AT_CAPACITY));
            return;
        }
        Process p = null;
        try {
            if (output.stopped()) {
                return; // stopped before it began: nothing to spawn
            }
            try {
                p = new ProcessBuilder(command).start();
            } catch (IOException e) {
                sink.onFailure(UpstreamFailure.transcoder(503, Ffmpeg.MISSING));
                return;
            }
            process = p;
            if (output.stopped()) {
                return;
            }
            p.getOutputStream().close();
            lastError.follow(p, "sluice-transcoder-log");
            pump(p);
        } catch (IOException e) {
            if (!output.stopped()) {
                sink.onFailure(new UpstreamFailure(UpstreamFailure.Kind.READ_ERROR, 0, "Transcoder output broke"));
            }
        } finally {
            slot.releaseAfter(p);
        }
    }

    private void pump(Process p) throws IOException {
        // No response head comes from a process: from here the relay's chunk timeout watches for output.
        try {
            sink.onResponse(new UpstreamResponse(200, "video/mp2t", -1, source, Map.of()));
        } catch (UpstreamFailureException e) {
            sink.onFailure(e.failure());
            return;
        }
        if (!output.copy(p.getInputStream(), sink) || output.stopped()) {
            return;
        }
        int exit = exitCode(p);
        if (exit == 0) {
            sink.onEnd();
        } else {
            sink.onFailure(failure(exit, lastError.afterExit()));
        }
    }

    static int exitCode(Process p) {
        try {
            return p.waitFor(5, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** What FFmpeg's last error line says about the source, classified like an upstream's own failure. */
    static UpstreamFailure failure(int exit, String lastError) {
        Matcher m = HTTP_STATUS.matcher(lastError);
        if (m.find()) {
            return UpstreamFailure.status(Integer.parseInt(m.group(1)));
        }
        String lower = lastError.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("connection refused") || lower.contains("no route to host")
                || lower.contains("name or service not known") || lower.contains("failed to resolve")) {
            return new UpstreamFailure(UpstreamFailure.Kind.CONNECT, 0, "Upstream connection refused or unreachable");
        }
        if (lower.contains("timed out")) {
            return new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, 0, "Upstream timed out");
        }
        if (lower.contains("invalid data found")) {
            return UpstreamFailure.notMedia("the transcoder could not read the source");
        }
        return UpstreamFailure.transcoder(0, "FFmpeg exited with code " + exit
                + (lastError.isEmpty() ? "" : ": " + lastError));
    }

    /** Asks FFmpeg to stop, and kills it if it has not within two seconds. */
    static void end(Process p) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        p.onExit().orTimeout(Duration.ofSeconds(2).toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(timeout -> {
                    p.destroyForcibly();
                    return p;
                });
    }
}
