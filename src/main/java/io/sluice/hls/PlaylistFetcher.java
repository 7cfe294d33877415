package io.sluice.hls;

import io.sluice.config.Settings;
import io.sluice.streams.StreamSpec;
import io.sluice.upstream.BodySink;
import io.sluice.upstream.FlowControlledConsumer;
import io.sluice.upstream.UpstreamClient;
import io.sluice.upstream.UpstreamFailure;
import io.sluice.upstream.UpstreamFailureException;
import io.sluice.upstream.UpstreamRequest;
import io.sluice.upstream.UpstreamResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches playlists for every player of a stream with one upstream request (SPEC 7.1): concurrent requests
 * for the same playlist share one fetch, and a media playlist is reused for half its target duration.
 */
@ApplicationScoped
public class PlaylistFetcher {
    /** A playlist larger than this is not a playlist a player could use. */
    static final int MAX_PLAYLIST_BYTES = 4 * 1024 * 1024;
    /** Masters hardly change; reusing one for a second still folds a burst of players into one fetch. */
    private static final long MASTER_REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int MAX_ENTRIES = 10_000;

    @Inject
    UpstreamClient upstream;
    @Inject
    Settings settings;

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong upstreamFetches = new AtomicLong();
    private final AtomicLong sharedFetches = new AtomicLong();

    /** A playlist as the upstream sent it, the URL it came from after redirects, and when it arrived. */
    public record Fetched(String body, URI finalUri, long fetchedAtMillis) {
        public Fetched(String body, URI finalUri) {
            this(body, finalUri, System.currentTimeMillis());
        }
    }

    private static final class Entry {
        final CompletableFuture<Fetched> result = new CompletableFuture<>();
        /** Until when the result may be reused; MAX_VALUE while the fetch is in flight. */
        volatile long reusableUntilNanos = Long.MAX_VALUE;

        boolean usable(long now) {
            return !result.isCompletedExceptionally() && now < reusableUntilNanos;
        }
    }

    public long upstreamFetches() {
        return upstreamFetches.get();
    }

    public long sharedFetches() {
        return sharedFetches.get();
    }

    /** {@code headerOrigins}: where the stream's headers may go (its own hosts, see {@code Stream.headerOrigins}). */
    public CompletableFuture<Fetched> fetch(StreamSpec spec, java.util.Set<String> headerOrigins, URI url) {
        // Headers, where they may go, and user agent are part of the key: two streams may reach one URL with
        // different credentials.
        String key = url + "\n" + spec.userAgent() + "\n" + spec.headers().hashCode() + "\n" + headerOrigins.hashCode();
        long now = System.nanoTime();
        if (entries.size() > MAX_ENTRIES / 2) {
            entries.values().removeIf(e -> !e.usable(now));
        }
        Entry fresh = new Entry();
        Entry e = entries.compute(key, (k, old) -> old != null && old.usable(now) ? old : fresh);
        if (e != fresh) {
            sharedFetches.incrementAndGet();
            return e.result;
        }
        if (entries.size() > MAX_ENTRIES) {
            entries.remove(key, fresh); // bounded: past the cap, fetch without remembering
        }
        start(spec, headerOrigins, url, fresh, key);
        return fresh.result;
    }

    private void start(StreamSpec spec, java.util.Set<String> headerOrigins, URI url, Entry entry, String key) {
        upstreamFetches.incrementAndGet();
        TextSink sink = new TextSink();
        FlowControlledConsumer consumer = new FlowControlledConsumer(sink, url);
        Future<Void> exchange = upstream.open(new UpstreamRequest(url, spec.userAgent(), spec.headers())
                .withHeaderOrigins(headerOrigins), consumer);
        long deadline = settings.playlistDeadline().toMillis();
        upstream.deadline(sink.result, java.time.Duration.ofMillis(deadline)).whenComplete((fetched, error) -> {
            if (error != null) {
                consumer.abandon();
                exchange.cancel(true);
                entries.remove(key, entry);
                entry.result.completeExceptionally(error instanceof TimeoutException
                        ? new UpstreamFailureException(new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, 0,
                        "Upstream playlist took longer than " + deadline + " ms"))
                        : error);
                return;
            }
            long reuse = Playlists.isMaster(fetched.body())
                    ? MASTER_REUSE_NANOS
                    : Math.max(0, TimeUnit.MILLISECONDS.toNanos(Playlists.targetDuration(fetched.body()) * 500L));
            entry.reusableUntilNanos = System.nanoTime() + reuse;
            entry.result.complete(fetched);
        });
    }

    /** Collects a playlist body, refusing what is not one as early as the first bytes show it. */
    private static final class TextSink implements BodySink {
        final CompletableFuture<Fetched> result = new CompletableFuture<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private URI finalUri;

        @Override
        public void onResponse(UpstreamResponse r) throws UpstreamFailureException {
            if (r.status() >= 400) {
                throw new UpstreamFailureException(UpstreamFailure.status(r.status()));
            }
            if (r.contentLength() > MAX_PLAYLIST_BYTES) {
                throw new UpstreamFailureException(UpstreamFailure.notMedia("a body of " + r.contentLength() + " bytes"));
            }
            finalUri = r.finalUri();
        }

        @Override
        public synchronized void onData(ByteBuffer data) throws UpstreamFailureException {
            if (body.size() == 0 && data.hasRemaining() && data.get(data.position()) == 0x47) {
                throw new UpstreamFailureException(UpstreamFailure.notMedia("an MPEG-TS stream, not a playlist"));
            }
            if (body.size() + data.remaining() > MAX_PLAYLIST_BYTES) {
                throw new UpstreamFailureException(UpstreamFailure.notMedia("more than " + MAX_PLAYLIST_BYTES + " bytes"));
            }
            byte[] b = new byte[data.remaining()];
            data.get(b);
            body.write(b, 0, b.length);
        }

        @Override
        public synchronized long capacity() {
            return MAX_PLAYLIST_BYTES + 1L - body.size();
        }

        @Override
        public void onEnd() {
            String text;
            synchronized (this) {
                text = body.toString(StandardCharsets.UTF_8);
            }
            if (!Playlists.isPlaylist(text)) {
                result.completeExceptionally(new UpstreamFailureException(UpstreamFailure.notMedia(
                        text.isBlank() ? "an empty body" : text.stripLeading().startsWith("<")
                                ? "an HTML page" : "not a playlist")));
            } else {
                result.complete(new Fetched(text, finalUri));
            }
        }

        @Override
        public void onFailure(UpstreamFailure failure) {
            result.completeExceptionally(new UpstreamFailureException(failure));
        }
    }

    /** The failure behind a fetch's exception, for the player's status and detail. */
    public static UpstreamFailure failureOf(Throwable error) {
        Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return UpstreamFailure.classify(t);
    }
}
