package io.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * A player pulling a stream on its own thread (test side only): keeps the first bytes for checking, counts
 * the rest, and can stop reading for a while as a stalled TV would.
 */
public final class Player implements AutoCloseable {
    private final HttpURLConnection conn;
    private final byte[] capture;
    private volatile int captured;
    private volatile long total;
    private volatile boolean paused;
    private volatile boolean closed;
    private volatile int status = -1;
    /** The longest time between two reads that brought bytes, once bytes started: what a viewer sees frozen. */
    private volatile long longestGapNanos;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Thread thread;

    private Player(String url, int captureBytes) throws IOException {
        conn = (HttpURLConnection) URI.create(url).toURL().openConnection();
        conn.setConnectTimeout(5000);
        conn.setReadTimeout(30000);
        capture = new byte[captureBytes];
        thread = new Thread(this::run, "player");
        thread.setDaemon(true);
    }

    /** Starts reading {@code url}; {@code captureBytes} of the body are kept. */
    public static Player play(String url, int captureBytes) {
        try {
            Player p = new Player(url, captureBytes);
            p.thread.start();
            return p;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void run() {
        try {
            status = conn.getResponseCode();
            InputStream in = status < 400 ? conn.getInputStream() : conn.getErrorStream();
            byte[] buf = new byte[16384];
            long lastBytesNanos = 0;
            while (!closed) {
                if (paused) {
                    lastBytesNanos = 0; // a pause of our own is not a gap in the stream
                    synchronized (this) {
                        while (paused && !closed) {
                            wait(50);
                        }
                    }
                    continue;
                }
                int n = in == null ? -1 : in.read(buf);
                if (n < 0) {
                    break;
                }
                long now = System.nanoTime();
                if (lastBytesNanos != 0 && !paused) {
                    longestGapNanos = Math.max(longestGapNanos, now - lastBytesNanos);
                }
                lastBytesNanos = now;
                int keep = Math.min(n, capture.length - captured);
                if (keep > 0) {
                    System.arraycopy(buf, 0, capture, captured, keep);
                    captured += keep;
                }
                total += n;
            }
            ended.complete(null);
        } catch (IOException | InterruptedException e) {
            ended.completeExceptionally(e);
        } finally {
            conn.disconnect();
        }
    }

    public int status() {
        return status;
    }

    public long total() {
        return total;
    }

    /** The longest silence between bytes so far, in milliseconds (0 before the second read). */
    public long longestGapMillis() {
        return longestGapNanos / 1_000_000;
    }

    public int captured() {
        return captured;
    }

    public byte[] capturedBytes() {
        return Arrays.copyOf(capture, captured);
    }

    public CompletableFuture<Void> ended() {
        return ended;
    }

    public void pause() {
        paused = true;
    }

    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    public String header(String name) {
        return conn.getHeaderField(name);
    }

    @Override
    public void close() {
        closed = true;
        resume();
        conn.disconnect();
        thread.interrupt();
    }
}
