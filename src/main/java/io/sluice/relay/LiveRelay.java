package io.sluice.relay;

import io.sluice.events.Measured;
import io.sluice.streams.Stream;
import io.sluice.streams.StreamKind;
import io.sluice.sources.RecoveryEpisode;
import io.sluice.transcode.TranscoderProcess;
import io.sluice.upstream.FlowControlledConsumer;
import io.sluice.upstream.UpstreamFailure;
import io.sluice.upstream.UpstreamFailureException;
import io.sluice.upstream.UpstreamRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One live MPEG-TS upstream fanned out to its players through a bounded {@link TsRing} (SPEC 6): the relay's
 * state and the coordination of its parts. The parts: {@link UpstreamConnection} (one exchange),
 * {@link PacketAssembler} (whole packets), {@link #ingest} (where packets enter the ring), {@link Pacing}
 * (credit, join and skip arithmetic), {@link RelayRecovery} (the episode in progress) and {@link ClientTap}
 * (one player).
 *
 * <p>Pacing rule: the upstream is read only as far as the ring has room behind the slowest player that is still
 * writing. A player whose writes have been blocked longer than {@code SLOW_CLIENT_GRACE} stops holding the
 * upstream back, and when the ring must overwrite its position it is moved to the live edge at a packet
 * boundary (counted). So a fast reader of a finite file gets every byte, and a stalled player never slows the
 * upstream or the others for longer than the grace.
 */
final class LiveRelay implements UpstreamConnection.Listener, ClientTap.Owner {
    private static final Logger LOG = Logger.getLogger(LiveRelay.class.getName());

    enum State { IDLE, CONNECTING, STREAMING, RECOVERING, CLOSED }

    private final Stream stream;
    private final boolean shared;
    private final LiveRelays owner;
    private final List<ClientTap> taps = new CopyOnWriteArrayList<>();

    // Guarded by this.
    private State state = State.IDLE;
    private TsRing ring;
    /** Where whole packets enter {@link #ring}; built with it. */
    private PacketSink ingest;
    /** Written under the lock; volatile so players on their hot path can read it without the lock. */
    private volatile UpstreamConnection current;
    private ScheduledFuture<?> pendingRelease;
    private final RelayRecovery recovery = new RelayRecovery();

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
                    UpstreamConnection c = current;
                    startRing = ring;
                    joinAt = Pacing.joinPosition(c.start, ring.tail(), ring.head(), ring.capacity());
                    sync = joinAt != c.start;
                    type = c.contentType();
                }
            }
        }
        if (closed) {
            tap.fail(404, "Stream not found");
        } else if (startRing != null) {
            tap.start(startRing, joinAt, sync, type);
        }
    }

    @Override
    public void left(ClientTap tap) {
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
        advanced(); // the leaver may have been the one holding the upstream back
    }

    @Override
    public void firstByte(long nanos) {
        owner.measured(Measured.Kind.FIRST_BYTE, nanos);
    }

    /**
     * A player wrote bytes: if the upstream is waiting for room, there may be some now. Checked without a lock
     * first: hundreds of players call this per second, and only a paused upstream needs the room recomputed.
     */
    @Override
    public void advanced() {
        UpstreamConnection c = current;
        if (c != null && c.feed().isPaused()) {
            c.feed().resume();
        }
    }

    /** Called by the relay clock: chunk timeout, and re-evaluation of players that have become stalled. */
    void tick(long nowNanos) {
        UpstreamConnection c;
        boolean stalled;
        synchronized (this) {
            c = current;
            if (c == null || !c.responded()) {
                return; // before the response head, HttpClient's own timeouts apply
            }
            stalled = c.silentLongerThan(owner.settings().liveChunkTimeout().toNanos(), nowNanos);
        }
        if (stalled) {
            c.abort(UpstreamFailure.stall(owner.settings().liveChunkTimeout().toSeconds()));
        } else {
            c.feed().resume();
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
            ingest = null;
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
        ingest = null;
        recovery.end();
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
            recovery.end();
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
            ingest = ingest(ring);
        }
        URI uri = URI.create(stream.sources().requestUrl());
        UpstreamConnection c = new UpstreamConnection(uri, ring.head(), this);
        state = State.CONNECTING;
        // The feed is set before the connection is current: players read it without the relay's lock.
        if (spec.transcode() != null) {
            // One FFmpeg process per stream reads the source; its output is this stream's upstream (SPEC 12).
            TranscoderProcess process = owner.transcoders().process(stream.id(), uri, spec, c);
            c.feed(process);
            current = c;
            process.start();
            return;
        }
        HttpFeed http = new HttpFeed(new FlowControlledConsumer(c, uri));
        c.feed(http);
        current = c;
        http.started(owner.upstream().open(new UpstreamRequest(uri, spec.userAgent(), spec.headers())
                .withHeaderOrigins(stream.headerOrigins()), http.consumer));
    }

    private void dropConnection() {
        UpstreamConnection c = current;
        current = null;
        if (c != null) {
            c.stop();
        }
    }

    /**
     * The seam where whole packets of the current upstream enter the ring (called under the relay's lock, on the
     * upstream's thread). Players the append would overwrite are moved first; appends are cut to half a ring so
     * a moved player always lands on bytes that are still there.
     */
    private PacketSink ingest(TsRing r) {
        return (src, length) -> {
            int left = length;
            while (left > 0) {
                int n = Math.min(left, r.capacity() / 2);
                makeRoom(r, n);
                r.append(src, n);
                left -= n;
            }
        };
    }

    /** Moves every player the next append would overwrite (never blocks the upstream's I/O thread). */
    private void makeRoom(TsRing r, int incoming) {
        long firstKept = Pacing.firstKeptAfter(r.head(), incoming, r.capacity());
        if (firstKept <= 0) {
            return;
        }
        long target = Pacing.skipTarget(r.head(), incoming, r.capacity());
        for (ClientTap t : taps) {
            if (t.isStarted() && !t.isDone() && t.position() < firstKept) {
                t.skipTo(target);
                owner.countSkip();
                LOG.fine(() -> "player skipped to live edge stream=" + stream.id() + " client=" + t.clientId());
            }
        }
    }

    // ---- the current connection's events (UpstreamConnection.Listener) ----

    @Override
    public void responded(UpstreamConnection c, URI finalUri) {
        owner.recovery().responded(stream.recoverySubject(), c.uri, finalUri);
    }

    /** Room in the ring behind the slowest player that still holds the upstream back. */
    @Override
    public synchronized long capacity(UpstreamConnection c) {
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
        return Pacing.room(ring.capacity(), head, oldest);
    }

    @Override
    public void data(UpstreamConnection c, ByteBuffer src) throws UpstreamFailureException {
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
                long waited = recovery.recovered(System.nanoTime()); // a success ends the recovery episode
                if (waited >= 0) {
                    owner.measured(Measured.Kind.STALL, waited);
                }
                toStart = new ArrayList<>(taps);
            }
            c.assembler.accept(src, ingest);
            c.dataArrived(System.nanoTime());
            r = ring;
            type = c.contentType();
        }
        for (ClientTap t : toStart) {
            t.start(r, c.start, false, type);
        }
        for (ClientTap t : taps) {
            t.drain();
        }
    }

    @Override
    public void ended(UpstreamConnection c) {
        if (!c.sawData) {
            failed(c, UpstreamFailure.notMedia("empty body"));
            return;
        }
        long end;
        synchronized (this) {
            if (c != current) {
                return;
            }
            current = null;
            state = State.IDLE;
            c.assembler.flush(ingest); // a clean end: all of it
            end = ring.head();
        }
        for (ClientTap t : taps) {
            t.stopAt(end);
        }
    }

    @Override
    public void failed(UpstreamConnection c, UpstreamFailure f) {
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
                recovery.end();
                return;
            }
            // Players keep their connections: they see a pause while the upstream recovers (SPEC 9.3).
            state = State.RECOVERING;
            if (c.sawData) {
                recovery.stalled(System.nanoTime());
            }
            ep = recovery.episodeFor(f, () -> owner.recovery().newEpisode(stream.sources()));
        }
        if (ep == null) {
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
            if (state != State.RECOVERING || !recovery.isCurrent(ep)) {
                return; // closed, released or switched by a manual failover meanwhile
            }
            if (taps.isEmpty()) {
                state = State.IDLE;
                recovery.end();
                return;
            }
            if (go) {
                connect();
                return;
            }
        }
        giveUp(f);
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
            recovery.end();
            end = ring == null ? -1 : ring.head();
            for (ClientTap t : taps) {
                if (!t.isStarted()) {
                    waiting.add(t);
                }
            }
        }
        for (ClientTap t : waiting) {
            t.fail(f.playerStatus(), RelayRecovery.local(f) ? f.message() : "All sources failed; last: " + f.message());
        }
        if (end >= 0) {
            for (ClientTap t : taps) {
                t.stopAt(end); // a clean end after what was relayed
            }
        }
    }

    /** Handled as what it is (SPEC 5): from now on the stream is HLS, and waiting players go there. */
    private void onPlaylistInsteadOfTs(UpstreamConnection c) {
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
}
