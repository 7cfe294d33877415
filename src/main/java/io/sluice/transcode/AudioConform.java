package io.sluice.transcode;

import io.sluice.support.DaemonThreads;
import io.sluice.support.LastErrorLine;
import io.sluice.upstream.BodySink;
import io.sluice.upstream.Feed;
import io.sluice.upstream.UpstreamFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A live source's bytes through FFmpeg on their way to players, its audio re-encoded to the codec players opened
 * and its video copied (issue 14): the source's own connection stays, only what it carries is changed. The
 * source's bytes wait in a bounded buffer (the connection is read only while it has room), a thread writes them
 * to FFmpeg's standard input, another reads its output while the relay has room ({@link ProcessOutput}), a third
 * keeps FFmpeg's last error line. All three belong to the process, at most one per stream, and end with it.
 */
public final class AudioConform implements Feed {
    /** The source's bytes waiting for FFmpeg: about two seconds of a 4 Mbit/s stream. */
    private static final int INPUT_BYTES = 1024 * 1024;
    /** Room kept back: the upstream's reactor delivers a little beyond the window it was given. */
    private static final int INPUT_SLACK = 256 * 1024;
    private static final int WRITE_CHUNK = 64 * 1024;

    private final String streamId;
    private final List<String> command;
    private final Feed input;
    private final BodySink output;
    private final ProcessSlot slot;
    private final ProcessOutput reader = new ProcessOutput();
    private final LastErrorLine lastError = new LastErrorLine();
    private volatile Process process;
    /** The source's connection is no longer this conform's to stop: it ended, failed, or was let go. */
    private final AtomicBoolean sourceDone = new AtomicBoolean();

    // The input buffer, a ring guarded by itself.
    private final byte[] waiting = new byte[INPUT_BYTES];
    private int readAt;
    private int used;
    private boolean inputEnded;
    private long dropped;

    /** Holds {@code slot}, taken for it, until its process has exited. */
    AudioConform(String streamId, List<String> command, Feed input, BodySink output, ProcessSlot slot) {
        this.streamId = streamId;
        this.command = command;
        this.input = input;
        this.output = output;
        this.slot = slot;
    }

    /** Starts FFmpeg; every outcome, a failure to start included, reaches the output sink. */
    public void start() {
        DaemonThreads.named(threadName("out")).newThread(this::run).start();
    }

    private String threadName(String role) {
        return "sluice-conform-" + role + "-" + streamId.substring(0, Math.min(8, streamId.length()));
    }

    /** Room for the source's bytes now; the source's connection is read only as far as this. */
    public long inputRoom() {
        synchronized (waiting) {
            return Math.max(0, INPUT_BYTES - INPUT_SLACK - used);
        }
    }

    /**
     * The source's next bytes (on the upstream's I/O thread: copied, never waits). The connection may have been
     * given a wider window before its bytes came here (the relay's ring is larger than this buffer): a burst
     * beyond the buffer drops its oldest bytes, as a live relay does with a player that falls behind, and FFmpeg
     * finds the next packet again.
     */
    public void input(ByteBuffer data) {
        synchronized (waiting) {
            int n = data.remaining();
            if (n > INPUT_BYTES) {
                data.position(data.position() + n - INPUT_BYTES); // only the newest bytes can be kept
                n = INPUT_BYTES;
            }
            int over = used + n - INPUT_BYTES;
            if (over > 0) {
                readAt = (readAt + over) % INPUT_BYTES;
                used -= over;
                dropped += over;
            }
            int writeAt = (readAt + used) % INPUT_BYTES;
            int first = Math.min(n, INPUT_BYTES - writeAt);
            data.get(waiting, writeAt, first);
            data.get(waiting, 0, n - first);
            used += n;
            waiting.notifyAll();
        }
    }

    /** Bytes of the source dropped because a burst outgrew the input buffer. */
    public long dropped() {
        synchronized (waiting) {
            return dropped;
        }
    }

    /** The source's body ended cleanly: FFmpeg gets the rest, then the end of its input, and ends its output. */
    public void inputEnded() {
        sourceDone.set(true);
        synchronized (waiting) {
            inputEnded = true;
            waiting.notifyAll();
        }
    }

    @Override
    public boolean isPaused() {
        return reader.isPaused();
    }

    @Override
    public void resume() {
        reader.resume();
    }

    /** Stops FFmpeg and lets go of the source's connection; no callback follows. */
    @Override
    public void stop() {
        letGoOfSource();
        endProcess();
    }

    /** The source's connection failed (and is gone): FFmpeg goes too, and no callback follows. */
    public void sourceFailed() {
        sourceDone.set(true);
        endProcess();
    }

    private void endProcess() {
        reader.stop();
        synchronized (waiting) {
            waiting.notifyAll();
        }
        Process p = process;
        if (p != null) {
            TranscoderProcess.end(p);
        }
    }

    /** Once, and never after the source's body ended cleanly: its connection may serve another exchange by then. */
    private void letGoOfSource() {
        if (sourceDone.compareAndSet(false, true)) {
            input.stop();
        }
    }

    private void run() {
        Process p = null;
        try {
            if (reader.stopped()) {
                return;
            }
            p = new ProcessBuilder(command).start();
            process = p;
            if (reader.stopped()) {
                return;
            }
            Process running = p;
            lastError.follow(running, threadName("log"));
            DaemonThreads.named(threadName("in")).newThread(() -> feed(running.getOutputStream())).start();
            if (!reader.copy(p.getInputStream(), output) || reader.stopped()) {
                return; // stopped, or the relay refused the output (it was told so)
            }
            int exit = TranscoderProcess.exitCode(p);
            boolean sourceEnded;
            synchronized (waiting) {
                sourceEnded = inputEnded;
            }
            if (exit == 0 && sourceEnded) {
                output.onEnd();
            } else {
                letGoOfSource();
                output.onFailure(failure(exit == 0 ? "ended before its source" : "exited with code " + exit));
            }
        } catch (IOException e) {
            if (!reader.stopped()) {
                letGoOfSource();
                output.onFailure(failure(p == null ? "could not start" : "output broke"));
            }
        } finally {
            // Whatever ended it: the source has no use any more (after a clean end it is not this conform's to
            // stop), and the input thread must not wait for bytes that will not come.
            letGoOfSource();
            reader.stop();
            synchronized (waiting) {
                waiting.notifyAll();
            }
            slot.releaseAfter(p);
        }
    }

    private UpstreamFailure failure(String what) {
        String last = lastError.afterExit();
        return UpstreamFailure.transcoder(0, "Audio conform (FFmpeg) " + what + (last.isEmpty() ? "" : ": " + last));
    }

    /** The input thread: the buffer's bytes to FFmpeg in order, the source read on as room is made. */
    private void feed(OutputStream stdin) {
        byte[] chunk = new byte[WRITE_CHUNK];
        input.resume(); // the source may have been paused for the relay's ring when its bytes were turned here
        try (stdin) {
            while (!reader.stopped()) {
                int n;
                synchronized (waiting) {
                    if (used == 0 && !inputEnded) {
                        waiting.wait(200); // the timeout rechecks whether the conform was stopped meanwhile
                        continue;
                    }
                    if (used == 0) {
                        return; // the source ended and FFmpeg has all of it: closing its input ends its output
                    }
                    n = Math.min(chunk.length, Math.min(used, INPUT_BYTES - readAt));
                    System.arraycopy(waiting, readAt, chunk, 0, n);
                    readAt = (readAt + n) % INPUT_BYTES; // taken out now: a burst may drop older bytes meanwhile
                    used -= n;
                }
                stdin.write(chunk, 0, n); // blocks while FFmpeg is held by the relay: the source waits too
                stdin.flush();
                input.resume();
            }
        } catch (IOException e) {
            // FFmpeg is gone: its exit is reported by the reading thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
