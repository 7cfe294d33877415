package io.sluice.relay;

import io.sluice.events.Measured;
import io.sluice.streams.Stream;
import io.sluice.streams.StreamKind;
import io.sluice.sources.RecoveryEpisode;
import io.sluice.transcode.TranscoderProcess;
import io.sluice.upstream.BodySink;
import io.sluice.upstream.Feed;
import io.sluice.upstream.FlowControlledConsumer;
import io.sluice.upstream.UpstreamFailure;
import io.sluice.upstream.UpstreamFailureException;
import io.sluice.upstream.UpstreamRequest;
import io.sluice.upstream.UpstreamResponse;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One live MPEG-TS upstream fanned out to its players through a bounded {@link TsRing} (SPEC 6).
 *
 * <p>Pacing rule: the upstream is read only as far as the ring has room behind the slowest player that is still
 * writing. A player whose writes have been blocked longer than {@code SLOW_CLIENT_GRACE} stops holding the
 * upstream back, and when the ring must overwrite its position it is moved to the live edge at a packet
 * boundary (counted). So a fast reader of a finite file gets every byte, and a stalled player never slows the
 * upstream or the others for longer than the grace.
 */
final class LiveRelay {
    private static final Logger LOG = Logger.getLogger(LiveRelay.class.getName());

    enum State { IDLE, CONNECTING, STREAMING, RECOVERING, CLOSED }

    private final Stream stream;
    private final boolean shared;
    private final LiveRelays owner;
    private final List<ClientTap> taps = new CopyOnWriteArrayList<>();

    // Guarded by this.
    private State state = State.IDLE;
    private TsRing ring;
    /** Written under the lock; volatile so players on their hot path can read it without the lock. */
    private volatile Connection current;
    private ScheduledFuture<?> pendingRelease;
    /** The recovery episode in progress; null while the upstream is healthy. */
    private RecoveryEpisode episode;
    /** When the upstream broke under playing players, for the stall histogram; 0 when not stalled. */
    private long stalledSinceNanos;

    LiveRelay(Stream stream, boolean shared, LiveRelays owner) {
        this.stream = stream;
        this.shared = shared;
        this.owner = owner;
    }

    String streamId() {
        return stream.id();
    }

    Stream stream() {
        return stream;
    }

    synchronized boolean isClosed() {
        return state == State.CLOSED;
    }

    /** True while an upstream connection is open or being opened. */
    synchronized boolean hasUpstream() {
        return current != null;
    }

    /** Holds a connection to its provider, or is between two while it recovers (it will connect again). */
    synchronized boolean holdsProviderPlace() {
        return current != null || state == State.RECOVERING;
    }

    int playerCount() {
        return taps.size();
    }

    /** Adds a player: it starts at once from the ring when the upstream is flowing, else when it starts. */
    void attach(ClientTap tap) {
        TsRing startRing = null;
        long joinAt = 0;
        boolean sync = false;
        String type = null;
        boolean closed = false;
        synchronized (this) {
            if (state == State.CLOSED) {
                closed = true;
            } else {
                cancelRelease();
                taps.add(tap);
                if (state == State.IDLE) {
                    connect();
                } else if (state == State.STREAMING) {
                    startRing = ring;
                    joinAt = joinPosition();
                    sync = joinAt != current.start;
                    type = current.contentType;
                }
            }
        }
        if (closed) {
            tap.fail(404, "Stream not found");
        } else if (startRing != null) {
            tap.start(startRing, joinAt, sync, type);
        }
    }

    /** A new player starts half a ring behind the live edge: a burst that fills its buffer fast. */
    private long joinPosition() {
        return Math.max(current.start, Math.max(ring.tail(), ring.head() - ring.capacity() / 2));
    }

    void detach(ClientTap tap) {
        boolean lastOne;
        synchronized (this) {
            lastOne = taps.remove(tap) && taps.isEmpty() && state != State.CLOSED;
            if (lastOne && shared) {
                long timeout = owner.settings().streamTimeout().toMillis();
                if (timeout == 0) {
                    release();
                } else {
                    pendingRelease = owner.clock().schedule(this::releaseIfUnused, timeout, TimeUnit.MILLISECONDS);
                }
                return;
            }
        }
        if (lastOne) {
            closeQuietly(); // a private upstream belongs to its one player
            return;
        }
        readerAdvanced(); // the leaver may have been the one holding the upstream back
    }

    void firstByte(long nanos) {
        owner.measured(Measured.Kind.FIRST_BYTE, nanos);
    }

    /**
     * A player wrote bytes: if the upstream is waiting for room, there may be some now. Checked without a lock
     * first: hundreds of players call this per second, and only a paused upstream needs the room recomputed.
     */
    void readerAdvanced() {
        Connection c = current;
        if (c != null && c.feed.isPaused()) {
            c.feed.resume();
        }
    }

    /** Called by the relay clock: chunk timeout, and re-evaluation of players that have become stalled. */
    void tick(long nowNanos) {
        Connection c;
        boolean stalled;
        synchronized (this) {
            c = current;
            if (c == null || !c.responded) {
                return; // before the response head, HttpClient's own timeouts apply
            }
            if (c.feed.isPaused()) {
                c.lastDataNanos = nowNanos; // our own pause is not the upstream's silence
            }
            stalled = nowNanos - c.lastDataNanos > owner.settings().liveChunkTimeout().toNanos();
        }
        if (stalled) {
            c.abort(UpstreamFailure.stall(owner.settings().liveChunkTimeout().toSeconds()));
        } else {
            c.feed.resume();
        }
    }

    /** The stream was deleted or the application stops: every player is closed and the upstream released. */
    void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        List<ClientTap> all;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            cancelRelease();
            dropConnection();
            ring = null;
            all = new ArrayList<>(taps);
            taps.clear();
        }
        owner.forget(this);
        for (ClientTap t : all) {
            t.close("Stream stopped");
        }
    }

    private void releaseIfUnused() {
        synchronized (this) {
            if (taps.isEmpty() && state != State.CLOSED) {
                release();
            }
        }
    }

    /** Last player gone: the upstream and the ring's memory are given back. */
    private void release() {
        dropConnection();
        ring = null;
        episode = null;
        state = State.IDLE;
    }

    /**
     * A manual failover moved the stream to another source: the one upstream connection is replaced at once,
     * and every player keeps its connection and continues from the new source.
     */
    void switchSource() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            dropConnection();
            episode = null;
            if (taps.isEmpty()) {
                state = State.IDLE;
            } else {
                connect();
            }
        }
    }

    private void cancelRelease() {
        if (pendingRelease != null) {
            pendingRelease.cancel(false);
            pendingRelease = null;
        }
    }

    private void connect() {
        var spec = stream.spec();
        if (ring == null) {
            ring = new TsRing(owner.settings().relayBufferBytes());
        }
        URI uri = URI.create(stream.sources().requestUrl());
        Connection c = new Connection(uri, ring.head());
        state = State.CONNECTING;
        // The feed is set before the connection is current: players read it without the relay's lock.
        if (spec.transcode() != null) {
            // One FFmpeg process per stream reads the source; its output is this stream's upstream (SPEC 12).
            TranscoderProcess process = owner.transcoders().process(stream.id(), uri, spec, c);
            c.feed = process;
            current = c;
            process.start();
            return;
        }
        HttpFeed http = new HttpFeed(new FlowControlledConsumer(c, uri));
        c.feed = http;
        current = c;
        http.started(owner.upstream().open(new UpstreamRequest(uri, spec.userAgent(), spec.headers()), http.consumer));
    }

    private void dropConnection() {
        Connection c = current;
        current = null;
        if (c != null) {
            c.feed.stop();
        }
    }

    /** Room in the ring behind the slowest player that still holds the upstream back. */
    private synchronized long room(Connection c) {
        if (c != current || ring == null) {
            return 0;
        }
        long now = System.nanoTime();
        long grace = owner.settings().slowClientGrace().toNanos();
        long head = ring.head();
        long oldest = head;
        for (ClientTap t : taps) {
            if (t.holdsUpstream(now, grace)) {
                oldest = Math.min(oldest, t.position());
            }
        }
        return Math.max(0, ring.capacity() - slack() - (head - oldest));
    }

    /** Headroom kept for bytes HttpCore delivers beyond the granted window. */
    private long slack() {
        return Math.min(256 * 1024, ring.capacity() / 4);
    }

    /** Moves every player the next write would overwrite (never blocks the upstream's I/O thread). */
    private void makeRoom(int incoming) {
        long newHead = ring.head() + incoming;
        long overwritten = newHead - ring.capacity();
        if (overwritten <= 0) {
            return;
        }
        long target = Math.max(overwritten, newHead - ring.capacity() / 2);
        for (ClientTap t : taps) {
            if (t.isStarted() && !t.isDone() && t.position() < overwritten) {
                t.skipTo(target);
                owner.countSkip();
                LOG.fine(() -> "player skipped to live edge stream=" + stream.id() + " client=" + t.clientId());
            }
        }
    }

    private void onData(Connection c, ByteBuffer src) throws UpstreamFailureException {
        List<ClientTap> toStart = List.of();
        TsRing r;
        String type;
        synchronized (this) {
            if (c != current) {
                src.position(src.limit()); // a cancelled exchange's last bytes
                return;
            }
            if (!c.sawData) {
                MediaSniffer.requireTransportStream(src);
                c.sawData = true;
                state = State.STREAMING;
                episode = null; // a success ends the recovery episode and resets its counters
                if (stalledSinceNanos != 0) {
                    owner.measured(Measured.Kind.STALL, System.nanoTime() - stalledSinceNanos);
                    stalledSinceNanos = 0;
                }
                toStart = new ArrayList<>(taps);
            }
            appendWholePackets(c, src);
            c.lastDataNanos = System.nanoTime();
            r = ring;
            type = c.contentType;
        }
        for (ClientTap t : toStart) {
            t.start(r, c.start, false, type);
        }
        for (ClientTap t : taps) {
            t.drain();
        }
    }

    /**
     * Players see only whole packets of a connection: a packet cut by a broken connection would otherwise run
     * into the next source's first packet and reach every player damaged. The cut tail waits in the connection
     * until the rest of its packet arrives; it is given to players at a clean end and dropped at a failure.
     */
    private void appendWholePackets(Connection c, ByteBuffer src) {
        if (c.partialLength > 0) {
            int n = Math.min(TsRing.PACKET - c.partialLength, src.remaining());
            src.get(c.partial, c.partialLength, n);
            c.partialLength += n;
            if (c.partialLength < TsRing.PACKET) {
                return;
            }
            append(ByteBuffer.wrap(c.partial, 0, TsRing.PACKET), TsRing.PACKET);
            c.partialLength = 0;
        }
        int whole = src.remaining() - src.remaining() % TsRing.PACKET;
        append(src, whole);
        int rest = src.remaining();
        src.get(c.partial, 0, rest);
        c.partialLength = rest;
    }

    private void append(ByteBuffer src, int length) {
        int left = length;
        while (left > 0) {
            int n = Math.min(left, ring.capacity() / 2);
            makeRoom(n);
            ring.append(src, n);
            left -= n;
        }
    }

    private void onEnd(Connection c) {
        if (!c.sawData) {
            onFailure(c, UpstreamFailure.notMedia("empty body"));
            return;
        }
        long end;
        synchronized (this) {
            if (c != current) {
                return;
            }
            current = null;
            state = State.IDLE;
            if (c.partialLength > 0) {
                append(ByteBuffer.wrap(c.partial, 0, c.partialLength), c.partialLength); // a clean end: all of it
                c.partialLength = 0;
            }
            end = ring.head();
        }
        for (ClientTap t : taps) {
            t.stopAt(end);
        }
    }

    private void onFailure(Connection c, UpstreamFailure f) {
        if (f.kind() == UpstreamFailure.Kind.HLS_PLAYLIST) {
            onPlaylistInsteadOfTs(c);
            return;
        }
        RecoveryEpisode ep;
        synchronized (this) {
            if (c != current) {
                return;
            }
            current = null;
            stream.countError();
            if (taps.isEmpty()) {
                state = State.IDLE;
                episode = null;
                return;
            }
            // Players keep their connections: they see a pause while the upstream recovers (SPEC 9.3).
            state = State.RECOVERING;
            if (c.sawData && stalledSinceNanos == 0) {
                stalledSinceNanos = System.nanoTime();
            }
            if (local(f)) {
                ep = null;
            } else {
                if (episode == null) {
                    episode = owner.recovery().newEpisode(stream.sources());
                }
                ep = episode;
            }
        }
        if (ep == null) {
            // This instance cannot transcode now: no source is to blame, so no retry and no failover.
            LOG.info(() -> "transcoder refused stream=" + stream.id() + ": " + f.message());
            giveUp(f);
            return;
        }
        LOG.info(() -> "upstream failed stream=" + stream.id() + " reason=" + f.reason() + ": " + f.message());
        owner.recovery().afterFailure(stream.recoverySubject(), ep, f)
                .whenComplete((go, error) -> afterRecovery(ep, error == null && Boolean.TRUE.equals(go), f));
    }

    /** The recovery step is done: connect to the URL it chose, or end the players when every source failed. */
    private void afterRecovery(RecoveryEpisode ep, boolean go, UpstreamFailure f) {
        synchronized (this) {
            if (state != State.RECOVERING || episode != ep) {
                return; // closed, released or switched by a manual failover meanwhile
            }
            if (taps.isEmpty()) {
                state = State.IDLE;
                episode = null;
                return;
            }
            if (go) {
                connect();
                return;
            }
        }
        giveUp(f);
    }

    /** A refusal of this instance's own (no transcoder here), not a failure of the source. */
    private static boolean local(UpstreamFailure f) {
        return f.kind() == UpstreamFailure.Kind.TRANSCODER && f.statusCode() > 0;
    }

    /** Nothing more to try: waiting players get the failure's status, the others a clean end of what was relayed. */
    private void giveUp(UpstreamFailure f) {
        List<ClientTap> waiting = new ArrayList<>();
        long end;
        synchronized (this) {
            if (state != State.RECOVERING) {
                return; // closed, released, or moved on by a manual failover meanwhile
            }
            state = State.IDLE;
            episode = null;
            end = ring == null ? -1 : ring.head();
            for (ClientTap t : taps) {
                if (!t.isStarted()) {
                    waiting.add(t);
                }
            }
        }
        for (ClientTap t : waiting) {
            t.fail(f.playerStatus(), local(f) ? f.message() : "All sources failed; last: " + f.message());
        }
        if (end >= 0) {
            for (ClientTap t : taps) {
                t.stopAt(end); // a clean end after what was relayed
            }
        }
    }

    /** Handled as what it is (SPEC 5): from now on the stream is HLS, and waiting players go there. */
    private void onPlaylistInsteadOfTs(Connection c) {
        List<ClientTap> waiting = new ArrayList<>();
        synchronized (this) {
            if (c != current) {
                return;
            }
            current = null;
            state = State.IDLE;
            for (ClientTap t : taps) {
                if (!t.isStarted()) {
                    waiting.add(t);
                }
            }
        }
        stream.correctKind(StreamKind.HLS);
        for (ClientTap t : waiting) {
            t.redirectToPlaylist();
        }
    }

    /** One upstream exchange; callbacks from an exchange that is no longer current are ignored. */
    private final class Connection implements BodySink {
        final long start;
        /** Set by {@link #connect()} before the feed can call back. */
        volatile Feed feed;
        volatile boolean responded;
        volatile long lastDataNanos = System.nanoTime();
        boolean sawData;
        /** The start of a packet whose rest has not arrived yet (guarded by the relay's lock). */
        final byte[] partial = new byte[TsRing.PACKET];
        int partialLength;
        String contentType = "video/mp2t";

        final URI uri;

        Connection(URI uri, long start) {
            this.uri = uri;
            this.start = start;
        }

        void abort(UpstreamFailure f) {
            feed.stop();
            LiveRelay.this.onFailure(this, f);
        }

        @Override
        public void onResponse(UpstreamResponse r) throws UpstreamFailureException {
            if (r.status() >= 400) {
                throw new UpstreamFailureException(UpstreamFailure.status(r.status()));
            }
            String type = r.contentType() == null ? "" : r.contentType().toLowerCase(Locale.ROOT);
            if (type.startsWith("text/html")) {
                throw new UpstreamFailureException(UpstreamFailure.notMedia("HTML page (" + r.contentType() + ")"));
            }
            if (type.contains("mpegurl")) {
                throw new UpstreamFailureException(UpstreamFailure.hlsPlaylist());
            }
            if (type.startsWith("video/") || type.startsWith("audio/")) {
                contentType = r.contentType();
            }
            owner.recovery().responded(stream.recoverySubject(), uri, r.finalUri());
            lastDataNanos = System.nanoTime();
            responded = true;
        }

        @Override
        public void onData(ByteBuffer data) throws UpstreamFailureException {
            LiveRelay.this.onData(this, data);
        }

        @Override
        public long capacity() {
            return room(this);
        }

        @Override
        public void onEnd() {
            LiveRelay.this.onEnd(this);
        }

        @Override
        public void onFailure(UpstreamFailure failure) {
            LiveRelay.this.onFailure(this, failure);
        }
    }
}
