package io.sluice.relay;

import io.sluice.support.AsyncPlayerResponse;
import io.sluice.support.ContainerConnection;
import io.sluice.web.ServletProblems;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A tap's output on the container: the async response and its non-blocking output stream, and their events.
 *
 * <p>Every write goes into the response buffer and is flushed at once, so that it leaves the connection with
 * nothing pending. Tomcat (10.1, NIO) frames a body of unknown length in chunks and copies each chunk through an
 * 8 KiB socket buffer, sending only what fills it; a write larger than the response buffer skips that buffer and
 * leaves its tail (at least the chunk's closing CRLF) behind in the socket buffer. The stream's {@code write} then
 * registers the socket with the Poller, whose event dispatches a container thread to send those few bytes and
 * call {@code onWritePossible}: one Poller event and one dispatch per write per player, and since a round writes
 * to every player at once, a pool that grows to its maximum (the profile at 1,000 players: container threads
 * 41 % of a core, 6,700 context switches a second, 200 threads). A write that fits the response buffer stays
 * there; the flush then sends header, data and CRLF from the socket buffer in one system call and, when the
 * socket takes it all, nothing is registered and nobody is dispatched. A player that does not read leaves the
 * data in buffers the connection has anyway, instead of the 64 KiB Tomcat allocates for the tail of a large
 * write. Elsewhere this is ordinary servlet usage: a write and a flush, each after {@code isReady}.
 */
final class ServletPlayerOutput extends AsyncPlayerResponse implements PlayerOutput {
    /** Tomcat's socket buffer ({@code socket.appWriteBufSize}), and Tomcat's and Payara's response buffer. */
    private static final int CONTAINER_BUFFER = 8 * 1024;
    /**
     * On Tomcat, the response and socket buffers of a player that reads: a round of a 4 Mbit/s stream (16,000
     * bytes) in one write and one system call instead of two; the system calls (and the player's wake-ups they
     * cause) are most of what delivery costs. 8 KiB more of each per player.
     */
    private static final int WIDE_BUFFER = 16 * 1024;
    /**
     * A player gets the wider buffers once this much has gone out to it: a player that plays passes it within
     * a few seconds (its join burst is half a ring), one that never reads never does, so the buffers of
     * stalled players (up to thousands, SPEC 6) stay the container's smallest.
     */
    static final long WIDEN_AFTER = 2L * 1024 * 1024;
    /** A chunk's framing: up to 8 hex digits of size and two CRLFs; what is left of the buffer is for data. */
    private static final int CHUNK_FRAMING = 12;
    /** Below this the system calls per byte would cost more than a tail left to the container. */
    private static final int LEAST_WRITE = 1024;
    private final AsyncContext async;
    private final HttpServletResponse response;
    private final ServletOutputStream out;
    private int maxWrite;
    /** Guarded by the tap's lock: the last write is still in the response buffer (the output was not ready). */
    private boolean flushOwed;
    /** Guarded by the tap's lock: bytes written until the buffers are widened, then -1 (done or impossible). */
    private long sentBeforeWidening;
    /** Set once, before the container can call back (the listeners are registered after {@link #bind}). */
    private ClientTap tap;

    ServletPlayerOutput(AsyncContext async, HttpServletResponse response, ServletOutputStream out) {
        this.async = async;
        this.response = response;
        this.out = out;
        this.maxWrite = writeSize(response.getBufferSize(), CONTAINER_BUFFER);
    }

    /** The largest write that fits both the response buffer and the socket buffer with its chunk's framing. */
    static int writeSize(int responseBuffer, int socketBuffer) {
        return Math.max(LEAST_WRITE, Math.min(responseBuffer - 1, socketBuffer - CHUNK_FRAMING));
    }

    void bind(ClientTap t) {
        this.tap = t;
    }

    @Override
    public void beginStream(String contentType) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-cache, no-store");
        response.setHeader("Access-Control-Allow-Origin", "*");
    }

    @Override
    public void beginError(int status, int bodyLength, String location) {
        ServletProblems.head(response, status, bodyLength);
        if (location != null) {
            response.setHeader("Location", location);
        }
    }

    @Override
    public int maxWrite() {
        return maxWrite;
    }

    /** A write left in the response buffer by a refused flush goes out as soon as the output is ready again. */
    @Override
    public boolean isReady() throws IOException {
        if (!out.isReady()) {
            return false;
        }
        if (flushOwed) {
            flushOwed = false;
            out.flush();
            return out.isReady();
        }
        return true;
    }

    /**
     * Into the response buffer, then out with a flush (see the class comment). A flush may only follow a ready
     * output; when the write itself left the output not ready (another container), the flush waits for the
     * next {@link #isReady}, at the latest the next round's, or the response's end.
     */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        if (out.isReady()) {
            out.flush();
        } else {
            flushOwed = true;
        }
        if (sentBeforeWidening >= 0) {
            sentBeforeWidening += len;
            if (sentBeforeWidening >= WIDEN_AFTER && !flushOwed) {
                widen();
            }
        }
    }

    /** Once the player has proven to read; retried after later writes while the last one is not out yet. */
    private void widen() {
        int size = ContainerConnection.widenWrites(response, WIDE_BUFFER);
        if (size != 0) {
            sentBeforeWidening = -1;
        }
        if (size > 0) {
            maxWrite = writeSize(size, size);
        }
    }

    @Override
    public void complete() {
        complete(async);
    }

    @Override
    public void onWritePossible() {
        tap.writePossible();
    }

    @Override
    protected void finish() {
        tap.finish();
    }
}
