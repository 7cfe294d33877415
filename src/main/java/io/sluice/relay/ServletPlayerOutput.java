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
     * The container keeps a write smaller than its response buffer until the buffer fills; a live player wants
     * it now (the first bytes of a new stream come in small chunks). A larger write goes out as it is.
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
