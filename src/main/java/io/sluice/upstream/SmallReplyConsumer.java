package io.sluice.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Reads a reply into memory only up to {@link #LIMIT} bytes. A webhook or resolver may answer with anything;
 * HttpClient's own simple consumer keeps the whole body, and a reply of hundreds of MB then ran an I/O reactor
 * thread out of heap, which broke every stream's upstream. Past the limit the exchange is answered with what
 * was read (marked truncated) and the connection is dropped, so the rest is never transferred.
 */
final class SmallReplyConsumer implements AsyncResponseConsumer<SmallReply> {
    /** Generous for a resolver's {@code {"next_url"}} or a webhook's acknowledgement. */
    static final int LIMIT = 64 * 1024;

    /** Thrown to end the exchange once the limit is crossed; the caller already has its answer. */
    static final class ReplyTooLarge extends IOException {
        ReplyTooLarge() {
            super("reply larger than " + LIMIT + " bytes; the rest was not read", null);
        }
    }

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status;
    private FutureCallback<SmallReply> result;

    @Override
    public synchronized void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
                                             FutureCallback<SmallReply> resultCallback) {
        status = response.getCode();
        result = resultCallback;
        if (entity == null) {
            resultCallback.completed(new SmallReply(status, new byte[0], false));
        }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
    }

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
        // One window past the limit is all this consumer will ever take.
        channel.update(LIMIT + 1);
    }

    @Override
    public synchronized void consume(ByteBuffer src) throws IOException {
        int room = LIMIT - body.size();
        int n = Math.min(room, src.remaining());
        byte[] chunk = new byte[n];
        src.get(chunk);
        body.write(chunk, 0, n);
        if (src.hasRemaining()) {
            src.position(src.limit());
            result.completed(new SmallReply(status, body.toByteArray(), true));
            throw new ReplyTooLarge();
        }
    }

    @Override
    public synchronized void streamEnd(List<? extends Header> trailers) {
        result.completed(new SmallReply(status, body.toByteArray(), false));
    }

    @Override
    public void failed(Exception cause) {
    }

    @Override
    public void releaseResources() {
    }
}
