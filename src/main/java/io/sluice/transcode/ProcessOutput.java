package io.sluice.transcode;

import io.sluice.upstream.BodySink;
import io.sluice.upstream.UpstreamFailureException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Copies a process's standard output into a {@link BodySink} only while the sink has room: a full pipe then
 * holds the process, and the process its own input, so backpressure reaches the provider. Runs on the process's
 * own reading thread; the sink wakes it with {@link #resume()}.
 */
final class ProcessOutput {
    private static final int CHUNK = 64 * 1024;

    private final Object room = new Object();
    private volatile boolean paused;
    private volatile boolean stopped;

    boolean isPaused() {
        return paused;
    }

    void resume() {
        synchronized (room) {
            paused = false;
            room.notifyAll();
        }
    }

    void stop() {
        stopped = true;
        resume();
    }

    boolean stopped() {
        return stopped;
    }

    /**
     * Copies until the output ends (true), or until stopped or refused by the sink (false; a refusal is reported
     * to the sink's {@code onFailure}).
     */
    boolean copy(InputStream out, BodySink sink) throws IOException {
        byte[] buf = new byte[CHUNK];
        while (!stopped) {
            long free = sink.capacity();
            if (free <= 0) {
                waitForRoom();
                continue;
            }
            int n = out.read(buf, 0, (int) Math.min(buf.length, free));
            if (n < 0) {
                return true;
            }
            try {
                sink.onData(ByteBuffer.wrap(buf, 0, n)); // the sink copies what it keeps before returning
            } catch (UpstreamFailureException e) {
                stopped = true;
                sink.onFailure(e.failure());
                return false;
            }
        }
        return false;
    }

    private void waitForRoom() {
        synchronized (room) {
            paused = true;
            try {
                // Woken when the sink drains; the timeout rechecks in case a wake-up was missed.
                room.wait(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
            paused = false; // until the next look at the room says otherwise
        }
    }
}
