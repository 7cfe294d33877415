package io.sluice.relay;

import io.sluice.support.AsyncPlayerResponse;
import io.sluice.web.ServletProblems;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** A tap's output on the container: the async response and its non-blocking output stream, and their events. */
final class ServletPlayerOutput extends AsyncPlayerResponse implements PlayerOutput {
    /** Tomcat's and Payara's default response buffer. */
    private static final int SMALL_WRITE = 8 * 1024;
    private final AsyncContext async;
    private final HttpServletResponse response;
    private final ServletOutputStream out;
    /** Set once, before the container can call back (the listeners are registered after {@link #bind}). */
    private ClientTap tap;

    ServletPlayerOutput(AsyncContext async, HttpServletResponse response, ServletOutputStream out) {
        this.async = async;
        this.response = response;
        this.out = out;
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
        // A live body ends when the connection does. Without this the container frames it in chunks, and on
        // Tomcat every chunk leaves a few bytes of framing in its socket buffer after a write: the output then
        // counts as not ready, and a container thread is dispatched to flush them, once per write per player.
        // Close-delimited, whole blocks go straight to the socket and a player that keeps up costs no dispatch.
        response.setHeader("Connection", "close");
    }

    @Override
    public void beginError(int status, int bodyLength, String location) {
        ServletProblems.head(response, status, bodyLength);
        if (location != null) {
            response.setHeader("Location", location);
        }
    }

    @Override
    public boolean isReady() {
        return out.isReady();
    }

    /**
     * The container keeps what does not fill its response buffer until the next write; a live player wants a
     * small write now (the first bytes of a new stream, a low-rate stream). Of a larger write at most a buffer's
     * worth waits for the next round.
     */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        if (len < SMALL_WRITE && out.isReady()) {
            out.flush();
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
