package io.sluice.vod;

import io.sluice.upstream.BodySink;
import io.sluice.upstream.FlowControlledConsumer;
import io.sluice.upstream.MediaTypes;
import io.sluice.upstream.UpstreamClient;
import io.sluice.upstream.UpstreamFailure;
import io.sluice.upstream.UpstreamFailureException;
import io.sluice.upstream.UpstreamRequest;
import io.sluice.upstream.UpstreamResponse;
import io.sluice.support.AsyncPlayerResponse;
import io.sluice.support.ContainerConnection;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * One upstream body to one player, for VOD and HLS segments (SPEC 7.3, 8): status, length and range headers
 * passed through; the upstream read only as fast as the player takes it (bounded buffer); a break after bytes
 * were sent resumed with {@code Range: bytes=<next>-} so the player sees one uninterrupted body. The player
 * gets either the body or an error status before any byte; a break that cannot be resumed is not turned into
 * a clean end (see {@link #abort()}).
 */
public final class PassThrough extends AsyncPlayerResponse {
    private static final int HIGH_WATER = 256 * 1024;

    /** What a pass-through needs to know about the request it serves. */
    public record Options(boolean head, int maxResumes, String defaultContentType) {
    }

    /**
     * The stream's resilience, seen from one body: {@code responded} after each upstream head (sticky locks),
     * {@code recover} after a failure before the first byte, naming the URL to try next or none.
     */
    public interface Sources {
        void responded(URI requested, URI finalUri);

        CompletableFuture<Optional<URI>> recover(UpstreamFailure failure);

        Sources FIXED = new Sources() {
            @Override
            public void responded(URI requested, URI finalUri) {
            }

            @Override
            public CompletableFuture<Optional<URI>> recover(UpstreamFailure failure) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
        };
    }

    private final AsyncContext async;
    private final HttpServletResponse response;
    private final ServletOutputStream out;
    private final UpstreamClient upstream;
    /** The request as it stands: recovery before the first byte may point it at another URL. */
    private volatile UpstreamRequest request;
    private final Options options;
    private final LongConsumer served;
    private final Runnable onFinish;
    private final Sources sources;
    private final AtomicBoolean finished = new AtomicBoolean();

    // Guarded by this.
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private int buffered;
    private Exchange current;
    /** An upstream head was accepted (its status and headers are what the player will get). */
    private boolean headSent;
    /** The accepted head, put on the player's response only with the first byte, so a failure before it
     * can still be answered with an error status. */
    private UpstreamResponse pendingHead;
    private boolean upstreamEnded;
    private long bytesWritten;
    /** Absolute offset of the next upstream byte, or -1 when unknown (then no resume). */
    private long nextOffset = -1;
    /** Last byte the player asked for or the upstream announced, or -1 when open-ended/unknown. */
    private long lastInclusive = -1;
    private int resumes;
    /** A recovery (retry, failover) before the first byte is under way. */
    private boolean recovering;
    /**
     * The resume to send once the paused player reads again: the upstream timed out because we held it back for
     * the player, which is no failure of the source and costs no resume attempt.
     */
    private UpstreamRequest parked;

    public PassThrough(AsyncContext async, HttpServletResponse response, ServletOutputStream out,
                       UpstreamClient upstream, UpstreamRequest request, Options options, Sources sources,
                       LongConsumer served, Runnable onFinish) {
        this.async = async;
        this.response = response;
        this.out = out;
        this.upstream = upstream;
        this.request = request;
        this.options = options;
        this.served = served;
        this.onFinish = onFinish;
        this.sources = sources;
    }

    public void start() {
        open(request);
    }

    private void open(UpstreamRequest r) {
        Exchange x = new Exchange(r);
        synchronized (this) {
            if (finished.get()) {
                return;
            }
            current = x;
        }
        x.future = upstream.open(r, x.consumer);
    }

    @Override
    public void onWritePossible() {
        drain();
    }

    private void drain() {
        boolean complete = false;
        boolean abortNow = false;
        Exchange resumeReader = null;
        UpstreamRequest unpark = null;
        synchronized (this) {
            if (finished.get()) {
                return;
            }
            try {
                if (hasPendingError()) {
                    complete = writePendingError(out);
                } else if (headSent) {
                    if (pendingHead != null && (!queue.isEmpty() || upstreamEnded)) {
                        applyHead(pendingHead);
                        pendingHead = null;
                    }
                    while (!queue.isEmpty() && out.isReady()) {
                        ByteBuffer b = queue.poll();
                        int n = b.remaining();
                        out.write(b.array(), b.arrayOffset() + b.position(), n);
                        buffered -= n;
                        bytesWritten += n;
                        served.accept(n);
                    }
                    if (queue.isEmpty() && upstreamEnded && out.isReady()) {
                        complete = true;
                    }
                    if (current != null && buffered < HIGH_WATER / 2) {
                        resumeReader = current;
                    } else if (parked != null && buffered < HIGH_WATER / 2) {
                        unpark = parked;
                        parked = null;
                    }
                }
            } catch (IOException | RuntimeException e) {
                abortNow = true; // the player went away
            }
        }
        if (abortNow) {
            abort();
        } else if (complete) {
            finish();
        } else if (resumeReader != null) {
            resumeReader.consumer.resume();
        } else if (unpark != null) {
            open(unpark);
        }
    }

    /** Status and the headers a player needs: type, length, range; caching off, CORS open. */
    private void applyHead(UpstreamResponse r) {
        response.setStatus(r.status());
        response.setContentType(r.contentType() != null ? r.contentType() : options.defaultContentType());
        if (r.contentLength() >= 0) {
            response.setContentLengthLong(r.contentLength());
        }
        String contentRange = r.header("content-range");
        if (contentRange != null) {
            response.setHeader("Content-Range", contentRange);
        }
        String acceptRanges = r.header("accept-ranges");
        if (acceptRanges != null) {
            response.setHeader("Accept-Ranges", acceptRanges);
        } else if (r.status() == 206) {
            response.setHeader("Accept-Ranges", "bytes");
        }
        for (String h : new String[]{"etag", "last-modified"}) {
            if (r.header(h) != null) {
                response.setHeader(h, r.header(h));
            }
        }
        response.setHeader("Cache-Control", "no-cache, no-store");
        response.setHeader("Access-Control-Allow-Origin", "*");
        if (r.contentLength() >= 0) {
            // The container keeps a connection whose declared length was not met open, so the player would wait
            // for bytes that never come: closing after the response makes a break that cannot be resumed a
            // visible error at once. A body of unknown length stays chunked: there the missing final chunk is
            // what tells the player (see abort), while a close-delimited body would end as if complete.
            response.setHeader("Connection", "close");
        }
    }

    private void failed(Exchange x, UpstreamFailure f) {
        boolean resume = false;
        boolean errorAnswer = false;
        boolean abortNow = false;
        boolean recover = false;
        boolean unpark = false;
        UpstreamRequest next = null;
        synchronized (this) {
            if (x != current || finished.get()) {
                return;
            }
            current = null;
            if (!headSent && !recovering) {
                recover = true;
                recovering = true;
            }
            boolean canResume = headSent && nextOffset >= 0 && !options.head() && ByteRange.isSingle(request.range());
            // HttpClient's timeout fires on an exchange we stopped reading for a paused player: ours, not the source's.
            boolean heldBack = f.kind() == UpstreamFailure.Kind.TIMEOUT && x.consumer.isPaused();
            if (recover) {
                // handled below, outside the lock
            } else if (canResume && heldBack) {
                parked = request.withRange(ByteRange.from(nextOffset, lastInclusive));
                unpark = true;
            } else if (canResume && resumes < options.maxResumes()) {
                resumes++;
                next = request.withRange(ByteRange.from(nextOffset, lastInclusive));
                resume = true;
            } else if (bytesWritten == 0 && (pendingHead != null || !headSent)) {
                queue.clear();
                buffered = 0;
                pendingHead = null;
                prepareError(response, f.playerStatus(), f.message());
                headSent = true;
                errorAnswer = true;
            } else {
                abortNow = true;
            }
        }
        if (recover) {
            sources.recover(f).whenComplete((url, error) -> {
                synchronized (this) {
                    recovering = false;
                }
                if (error == null && url.isPresent()) {
                    request = request.withUri(url.get());
                    open(request);
                } else {
                    answerError(f);
                }
            });
        } else if (resume) {
            open(next);
        } else if (errorAnswer || unpark) {
            drain(); // writes the error, or resumes at once if the player is already reading again
        } else if (abortNow) {
            abort();
        }
    }

    private void answerError(UpstreamFailure f) {
        synchronized (this) {
            if (finished.get() || headSent) {
                return;
            }
            prepareError(response, f.playerStatus(), f.message());
            headSent = true;
        }
        drain();
    }

    /**
     * Ends a response whose body broke for good. Its declared Content-Length is not met and the connection
     * closes (see {@link #applyHead}): the player sees an incomplete body, never a clean short one.
     */
    private void abort() {
        Exchange x;
        synchronized (this) {
            x = current;
            current = null;
        }
        if (x != null) {
            x.cancel();
        }
        ContainerConnection.closeNow(response);
        finish();
    }

    @Override
    protected void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        Exchange x;
        synchronized (this) {
            x = current;
            current = null;
            queue.clear();
            buffered = 0;
            // Under the lock every write holds (drain checks finished first): a write under way on another
            // thread ends before the response completes, and none starts after it.
            complete(async);
        }
        if (x != null) {
            x.cancel();
        }
        onFinish.run();
    }

    /** One upstream exchange: the first, or a resume. */
    private final class Exchange implements BodySink {
        final FlowControlledConsumer consumer;
        volatile Future<Void> future;

        Exchange(UpstreamRequest r) {
            this.consumer = new FlowControlledConsumer(this, r.uri());
        }

        void cancel() {
            consumer.abandon();
            Future<Void> f = future;
            if (f != null) {
                f.cancel(true);
            }
        }

        @Override
        public void onResponse(UpstreamResponse r) throws UpstreamFailureException {
            synchronized (PassThrough.this) {
                if (this != current) {
                    throw new UpstreamFailureException(UpstreamFailure.notMedia("superseded"));
                }
                if (!headSent && r.status() == 416 && request.range() != null) {
                    refuseRange(r);
                } else if (!headSent) {
                    acceptFirst(r);
                    sources.responded(request.uri(), r.finalUri());
                    return;
                } else {
                    acceptResume(r);
                    return;
                }
            }
            drain();
            // Not a failure: this exchange is simply done (no longer current, so nothing is recovered).
            throw new UpstreamFailureException(UpstreamFailure.notMedia("range answered"));
        }

        /**
         * The player asked for bytes the upstream does not have (SPEC 4): its own mistake, answered with the
         * upstream's 416 and range, never counted against the source. The upstream's body is not passed on.
         */
        private void refuseRange(UpstreamResponse r) {
            current = null;
            prepareError(response, 416, "Requested range not satisfiable");
            String contentRange = r.header("content-range");
            if (contentRange != null) {
                response.setHeader("Content-Range", contentRange);
            }
            response.setHeader("Accept-Ranges", "bytes");
            headSent = true;
        }

        private void acceptFirst(UpstreamResponse r) throws UpstreamFailureException {
            if (r.status() >= 400) {
                throw new UpstreamFailureException(UpstreamFailure.status(r.status()));
            }
            if (MediaTypes.couldRunScript(r.contentType())) {
                throw new UpstreamFailureException(MediaTypes.scriptable(r.contentType()));
            }
            String contentRange = r.header("content-range");
            if (r.status() == 206) {
                nextOffset = ByteRange.contentRangeStart(contentRange);
                lastInclusive = ByteRange.contentRangeEnd(contentRange);
            } else if (r.status() == 200 && request.range() == null) {
                nextOffset = 0;
                lastInclusive = r.contentLength() > 0 ? r.contentLength() - 1 : -1;
            }
            pendingHead = r;
            headSent = true;
        }

        private void acceptResume(UpstreamResponse r) throws UpstreamFailureException {
            if (r.status() != 206 || ByteRange.contentRangeStart(r.header("content-range")) != nextOffset) {
                throw new UpstreamFailureException(new UpstreamFailure(UpstreamFailure.Kind.STATUS, r.status(),
                        "Upstream did not resume at byte " + nextOffset));
            }
        }

        @Override
        public void onData(ByteBuffer data) {
            synchronized (PassThrough.this) {
                if (this != current) {
                    data.position(data.limit());
                    return;
                }
                int n = data.remaining();
                ByteBuffer copy = ByteBuffer.allocate(n);
                copy.put(data).flip();
                queue.add(copy);
                buffered += n;
                if (nextOffset >= 0) {
                    nextOffset += n;
                }
            }
            drain();
        }

        @Override
        public long capacity() {
            synchronized (PassThrough.this) {
                return this == current ? Math.max(0, HIGH_WATER - buffered) : 0;
            }
        }

        @Override
        public void onEnd() {
            boolean shortBody;
            synchronized (PassThrough.this) {
                if (this != current) {
                    return;
                }
                shortBody = !options.head() && lastInclusive >= 0 && nextOffset >= 0 && nextOffset <= lastInclusive;
                if (!shortBody) {
                    upstreamEnded = true;
                    current = null;
                }
            }
            if (shortBody) {
                failed(this, new UpstreamFailure(UpstreamFailure.Kind.READ_ERROR, 0, "Upstream body ended early"));
            } else {
                drain();
            }
        }

        @Override
        public void onFailure(UpstreamFailure failure) {
            failed(this, failure);
        }
    }
}
