package io.sluice.upstream;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.protocol.RedirectLocations;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;

/**
 * Streams an upstream body into a {@link BodySink} with real flow control.
 *
 * <p>HttpCore's own bin consumers re-grant capacity at once (no backpressure), so this one keeps the
 * {@link CapacityChannel} and opens the window only as far as the sink has room.
 */
public final class FlowControlledConsumer implements AsyncResponseConsumer<Void> {
    /** HttpCore's initial HTTP/1.1 window, granted before our first {@code updateCapacity}. */
    private static final int INITIAL_WINDOW = 65_536;
    private static final List<String> PASSED_ON = List.of("content-range", "accept-ranges", "etag", "last-modified");

    private final BodySink sink;
    private final URI requestUri;
    private final AtomicBoolean terminated = new AtomicBoolean();
    private CapacityChannel channel;
    /** Bytes the upstream may still send under the window we granted. */
    private long outstanding = INITIAL_WINDOW;
    private volatile boolean paused;
    private volatile boolean abandoned;
    private FutureCallback<Void> resultCallback;
    /** Where to close this exchange's connection when it is abandoned; set before the exchange starts. */
    private volatile UpstreamSessions sessions;
    /** The exchange's context: it names the connection (the last hop's) once the request is on one. */
    private volatile HttpCoreContext exchangeContext;

    public FlowControlledConsumer(BodySink sink, URI requestUri) {
        this.sink = sink;
        this.requestUri = requestUri;
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
                                FutureCallback<Void> callback) throws IOException {
        this.resultCallback = callback;
        if (abandoned) {
            closeConnection(); // given up while the head was on its way
        }
        Header typeHeader = response.getFirstHeader("Content-Type");
        String type = entity != null ? entity.getContentType() : typeHeader == null ? null : typeHeader.getValue();
        // A HEAD answer has no entity, but its Content-Length is what the player asked about.
        long length = entity != null ? entity.getContentLength() : declaredLength(response);
        sink.onResponse(new UpstreamResponse(response.getCode(), type, length, finalUri(context), passedOn(response)));
        if (entity == null) {
            end();
        }
    }

    private static long declaredLength(HttpResponse response) {
        Header h = response.getFirstHeader("Content-Length");
        try {
            return h == null ? -1 : Long.parseLong(h.getValue().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<String, String> passedOn(HttpResponse response) {
        Map<String, String> h = new HashMap<>();
        for (String name : PASSED_ON) {
            Header v = response.getFirstHeader(name);
            if (v != null && v.getValue() != null) {
                h.put(name, v.getValue());
            }
        }
        return h;
    }

    private URI finalUri(HttpContext context) {
        RedirectLocations hops = HttpClientContext.castOrCreate(context).getRedirectLocations();
        List<URI> all = hops == null ? List.of() : hops.getAll();
        return all.isEmpty() ? requestUri : all.get(all.size() - 1);
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // 1xx answers carry nothing a proxy of media needs.
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        synchronized (this) {
            channel = capacityChannel;
            // The reactor asks only when the window is used up, whatever our count says.
            outstanding = 0;
        }
        resume();
    }

    /** Opens the window up to the sink's room; safe from any thread. */
    public void resume() {
        // Asked outside our lock: the sink takes its own lock, and must never wait on ours.
        long room = sink.capacity();
        CapacityChannel ch;
        int grant;
        synchronized (this) {
            ch = channel;
            if (ch == null || terminated.get()) {
                return;
            }
            long want = room - outstanding;
            if (want <= 0) {
                paused = outstanding <= 0;
                return;
            }
            grant = (int) Math.min(want, Integer.MAX_VALUE);
            outstanding += grant;
            paused = false;
        }
        try {
            ch.update(grant);
        } catch (IOException e) {
            failed(e);
        }
    }

    /** True while the sink has no room and the upstream is therefore not being read. */
    public boolean isPaused() {
        return paused;
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        if (abandoned) {
            // Failing the exchange is what makes HttpCore close the connection instead of draining it.
            throw new IOException("exchange abandoned by Sluice");
        }
        int n = src.remaining();
        synchronized (this) {
            outstanding -= n;
        }
        sink.onData(src);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        end();
    }

    private void end() {
        if (terminated.compareAndSet(false, true)) {
            sink.onEnd();
            if (resultCallback != null) {
                resultCallback.completed(null);
            }
        }
    }

    @Override
    public void failed(Exception cause) {
        if (terminated.compareAndSet(false, true)) {
            sink.onFailure(UpstreamFailure.classify(cause));
        }
    }

    /**
     * Ends the exchange from our side: no failure is reported, and the connection is closed rather than
     * returned to the pool. Cancelling the future alone does not always close it at once, so the window is
     * opened a little to make the next read fail the exchange.
     */
    public void abandon() {
        terminated.set(true);
        abandoned = true;
        if (closeConnection()) {
            return;
        }
        CapacityChannel ch;
        synchronized (this) {
            ch = channel;
        }
        if (ch != null) {
            try {
                ch.update(1);
            } catch (IOException ignored) {
                // already closing
            }
        }
    }

    void closeWith(UpstreamSessions s, HttpCoreContext context) {
        this.sessions = s;
        this.exchangeContext = context;
    }

    private boolean closeConnection() {
        UpstreamSessions s = sessions;
        if (s == null) {
            return false;
        }
        HttpCoreContext c = exchangeContext;
        SocketAddress local = c == null || c.getEndpointDetails() == null ? null : c.getEndpointDetails().getLocalAddress();
        return s.closeNow(local);
    }

    @Override
    public void releaseResources() {
        synchronized (this) {
            channel = null;
        }
    }
}
