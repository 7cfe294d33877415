package io.sluice.relay;

import io.sluice.events.Measured;
import io.sluice.streams.Stream;
import io.sluice.streams.StreamKind;
import io.sluice.sources.RecoveryEpisode;
import io.sluice.transcode.AudioConform;
import io.sluice.transcode.TranscoderProcess;
import io.sluice.ts.AudioChange;
import io.sluice.ts.TsHealth;
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
    /** Where whole packets enter {@link #ring}, through the splicer and the media health (issues 14, 15). */
    private Ingest ingest;
    /** Written under the lock; volatile so players on their hot path can read it without the lock. */
    private volatile UpstreamConnection current;
    private ScheduledFuture<?> pendingRelease;
    private final RelayRecovery recovery = new RelayRecovery();
    // Silence detection of the current connection (issue 15), guarded by this.
    private UpstreamConnection silenceFor;
    private long silenceSinceNanos;
    private long silenceCheckedNanos;
    private long silenceCheckedHead;
    private int silentChecks;
    private boolean silenceRunning;
    /** The most a silence check analyses: the ring holds no more anyway. */
    private static final int MAX_SILENCE_SAMPLE = 16 * 1024 * 1024;
    /**
     * The next source, connected while the current one is retried (warm standby), so that the failover that
     * ends the retries starts at once; dropped when a retry works or the episode ends otherwise.
     */
    private UpstreamConnection standby;
    /** The standby's final URL, for the sticky lock it makes once promoted. */
    private URI standbyFinalUri;
    /** A standby reads into its own buffer up to this much (so the read timeout does not kill it), then waits. */
    private static final int STANDBY_MAX_BYTES = 1024 * 1024;

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
                owner.delivery().add(tap);
                if (state == State.IDLE) {
                    connect();
                } else if (state == State.STREAMING) {
                    UpstreamConnection c = current;
                    startRing = ring;
                    // At the latest keyframe, PAT and PMT first, when the stream has them (issue 14).
                    long keyframe = ingest.joinPoint();
                    joinAt = keyframe >= 0 ? keyframe
                            : Pacing.joinPosition(c.start, ring.tail(), ring.head(), ring.capacity());
                    sync = joinAt != c.start && keyframe < 0;
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
        owner.delivery().remove(tap);
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
    public void catchingUp(ClientTap tap) {
        owner.delivery().sprint(tap);
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
        boolean noFirstData;
        synchronized (this) {
            c = current;
            noFirstData = c != null && !c.sawData && c.firstDataDeadlineNanos != 0
                    && nowNanos - c.firstDataDeadlineNanos > 0;
            if (noFirstData) {
                stalled = false; // a connection made while recovering is judged on its first data
            } else if (c == null || !c.responded()) {
                return; // before the response head, HttpClient's own timeouts apply
            } else {
                stalled = c.silentLongerThan(owner.settings().liveChunkTimeout().toNanos(), nowNanos);
            }
        }
        if (noFirstData) {
            c.abort(UpstreamFailure.noFirstData(owner.settings().firstDataDeadline().toMillis()));
        } else if (stalled) {
            c.abort(UpstreamFailure.stall(owner.settings().liveChunkTimeout().toSeconds()));
        } else {
            c.feed().resume();
            checkSilence(nowNanos);
        }
    }

    /**
     * Every check interval after the grace period, the stream's bytes since the last check (as far as the ring
     * still holds them) go to FFmpeg's silencedetect on the silence-check pool (m3u-proxy's method). Off unless
     * enabled for the instance or the stream; skipped without FFmpeg.
     */
    private void checkSilence(long now) {
        SilencePolicy policy = SilencePolicy.of(owner.settings(), stream.spec().silence());
        if (!policy.enabled()) {
            return;
        }
        UpstreamConnection c;
        byte[] sample;
        synchronized (this) {
            c = current;
            if (c == null || state != State.STREAMING || ring == null) {
                return;
            }
            if (silenceFor != c) {
                silenceFor = c;
                silentChecks = 0;
                silenceSinceNanos = now;
                silenceCheckedNanos = now;
                silenceCheckedHead = ring.head();
                return;
            }
            if (silenceRunning || now - silenceSinceNanos < policy.gracePeriod().toNanos()
                    || now - silenceCheckedNanos < policy.checkInterval().toNanos()) {
                return;
            }
            long from = Math.max(Math.max(silenceCheckedHead, ring.tail()), c.start);
            int n = (int) Math.min(ring.head() - from, MAX_SILENCE_SAMPLE);
            silenceCheckedNanos = now;
            silenceCheckedHead = ring.head();
            if (n < 64 * TsRing.PACKET || !owner.ffmpegAvailable()) {
                return;
            }
            sample = new byte[n];
            for (int done = 0; done < n; ) {
                int k = ring.contiguous(from + done, from + n, n - done);
                System.arraycopy(ring.array(), ring.indexOf(from + done), sample, done, k);
                done += k;
            }
            silenceRunning = true;
        }
        try {
            owner.silenceChecks().execute(() -> afterSilenceCheck(c, policy, SilenceCheck.run(
                    owner.settings().ffmpegPath(), sample, policy.thresholdDb(), policy.duration().toMillis() / 1000.0)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            synchronized (this) {
                silenceRunning = false; // the pool is busy with other streams: this check is skipped
            }
        }
    }

    private void afterSilenceCheck(UpstreamConnection c, SilencePolicy policy, SilenceCheck.Result result) {
        boolean fail;
        synchronized (this) {
            silenceRunning = false;
            if (c != current) {
                return;
            }
            if (result == SilenceCheck.Result.SILENT) {
                silentChecks++;
            } else if (result == SilenceCheck.Result.SOUND) {
                silentChecks = 0;
            }
            LOG.fine(() -> "silence check stream=" + stream.id() + " result=" + result + " run=" + silentChecks);
            fail = silentChecks >= policy.failoverThreshold();
        }
        if (fail) {
            stream.noteHealth(c.uri.toString(), "silence");
            c.abort(UpstreamFailure.silence(policy.failoverThreshold(), policy.thresholdDb()));
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
            dropStandby();
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
        dropStandby();
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
                connect(); // takes the standby when it is connected to the source moved to
            }
            dropStandby();
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
            ingest = new Ingest(ring, ingest(ring), owner.settings().spliceKeyframeWait().toNanos(),
                    owner.settings().spliceConformAudio(), owner.settings().tsHealthTimeout().toNanos());
        }
        URI uri = URI.create(stream.sources().requestUrl());
        if (standby != null && standby.uri.equals(uri)) {
            promoteStandby();
            return;
        }
        UpstreamConnection c = new UpstreamConnection(uri, ring.head(), this);
        state = State.CONNECTING;
        if (recovery.inEpisode()) {
            // Players are already waiting: a retry is judged on its first data, not on the chunk timeout.
            judgeOnFirstData(c);
        }
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

    /**
     * While the current source is retried, connects the source an automatic failover would move to. What it
     * sends waits in its own bounded buffer until it is promoted or dropped. Not for transcoded streams (a second
     * FFmpeg), nor with a resolver (asked only at the failover), nor when there are no retries to wait through,
     * nor past the provider's connection limit: the standby is a second connection while the retry holds one.
     * Called without the relay's lock: the limit is counted over other relays, which lock themselves.
     */
    private void connectStandby() {
        if (stream.spec().transcode() != null || owner.settings().retryAttempts() == 0) {
            return;
        }
        owner.recovery().nextFailoverUrl(stream.recoverySubject()).ifPresent(next -> {
            URI uri = URI.create(next);
            if (!owner.standbyFits(uri)) {
                LOG.fine(() -> "no standby stream=" + stream.id() + ": the provider's connection limit is reached");
                return;
            }
            synchronized (this) {
                if (standby != null || state != State.RECOVERING) {
                    return;
                }
                var spec = stream.spec();
                UpstreamConnection s = new UpstreamConnection(uri, 0, this);
                s.early = new java.io.ByteArrayOutputStream();
                HttpFeed http = new HttpFeed(new FlowControlledConsumer(s, uri));
                s.feed(http);
                standby = s;
                standbyFinalUri = null;
                LOG.fine(() -> "standby connecting stream=" + stream.id() + " url=" + uri);
                // The stream's headers (often credentials) go to its own hosts, as for its current connection.
                http.started(owner.upstream().open(new UpstreamRequest(uri, spec.userAgent(), spec.headers())
                        .withHeaderOrigins(stream.headerOrigins()), http.consumer));
            }
        });
    }

    /** The host of the standby connection, or null; for the provider limit. */
    synchronized String standbyHost() {
        UpstreamConnection s = standby;
        return s == null || s.uri.getHost() == null ? null : s.uri.getHost().toLowerCase(java.util.Locale.ROOT);
    }

    /** The failover went to the standby's source: it becomes current, and what it sent goes to players now. */
    private void promoteStandby() {
        UpstreamConnection s = standby;
        URI finalUri = standbyFinalUri;
        standby = null;
        current = s; // the same exchange carries on as the current connection
        s.start = ring.head();
        s.dataArrived(System.nanoTime());
        state = State.CONNECTING;
        judgeOnFirstData(s);
        byte[] early = s.early.toByteArray();
        s.early = null;
        LOG.info(() -> "standby promoted stream=" + stream.id() + " early_bytes=" + early.length);
        if (finalUri != null) {
            owner.clock().execute(() -> owner.recovery().responded(stream.recoverySubject(), s.uri, finalUri));
        }
        if (early.length > 0) {
            try {
                data(s, ByteBuffer.wrap(early)); // under the relay's lock: nothing newer can overtake these
            } catch (UpstreamFailureException e) {
                owner.clock().execute(() -> failed(s, e.failure()));
                return;
            }
        }
        s.feed().resume();
    }

    /** Sets {@code c}'s first-data deadline and checks it then, not at the next tick of the relay clock. */
    private void judgeOnFirstData(UpstreamConnection c) {
        long deadline = owner.settings().firstDataDeadline().toNanos();
        c.firstDataDeadlineNanos = System.nanoTime() + deadline;
        owner.clock().schedule(() -> tick(System.nanoTime()), deadline + 1_000_000, TimeUnit.NANOSECONDS);
    }

    private void dropStandby() {
        UpstreamConnection s = standby;
        standby = null;
        if (s != null) {
            s.stop();
        }
    }

    /** A standby's own failure or end: not the stream's; the episode tries that source itself when it gets there. */
    private synchronized boolean droppedStandby(UpstreamConnection c) {
        if (c != standby) {
            return false;
        }
        dropStandby();
        return true;
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
        synchronized (this) {
            if (c == standby) {
                standbyFinalUri = finalUri; // its sticky lock is taken when it becomes current
                return;
            }
        }
        owner.recovery().responded(stream.recoverySubject(), c.uri, finalUri);
    }

    /** Room in the ring behind the slowest player that still holds the upstream back. */
    @Override
    public synchronized long capacity(UpstreamConnection c) {
        if (c == standby) {
            // A standby reads on into its own bounded buffer: a paused connection would die of the read timeout.
            return Math.max(0, STANDBY_MAX_BYTES - c.early.size());
        }
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
        packets(c, src, false);
    }

    @Override
    public void conformed(UpstreamConnection c, ByteBuffer out) throws UpstreamFailureException {
        packets(c, out, true);
    }

    /** The connection's bytes: the source's own, or (when {@code conformed}) its audio conform's output. */
    private void packets(UpstreamConnection c, ByteBuffer src, boolean conformed) throws UpstreamFailureException {
        List<ClientTap> toStart = List.of();
        TsRing r;
        String type;
        TsHealth.Verdict verdict;
        synchronized (this) {
            if (c == standby) {
                byte[] b = new byte[src.remaining()];
                src.get(b);
                int over = c.early.size() + b.length - STANDBY_MAX_BYTES;
                if (over > 0) {
                    // Full (HttpCore delivers a little beyond the window): the oldest whole packets make room.
                    byte[] kept = c.early.toByteArray();
                    int drop = Math.min(kept.length, (over + TsRing.PACKET - 1) / TsRing.PACKET * TsRing.PACKET);
                    c.early.reset();
                    c.early.write(kept, drop, kept.length - drop);
                }
                c.early.write(b, 0, b.length); // kept in order for players, should it become current
                return;
            }
            if (c != current) {
                src.position(src.limit()); // a cancelled exchange's last bytes
                return;
            }
            AudioConform conform = c.conform();
            if (conform != null && !conformed) {
                conform.input(src); // decided under this lock: no chunk of the source can slip past its conform
                return;
            }
            if (!c.sawData) {
                MediaSniffer.requireTransportStream(src);
                c.sawData = true;
                state = State.STREAMING;
                dropStandby(); // a retry that works needs no second upstream
                long waited = recovery.recovered(System.nanoTime()); // a success ends the recovery episode
                if (waited >= 0) {
                    owner.measured(Measured.Kind.STALL, waited);
                }
                toStart = new ArrayList<>(taps);
            }
            int chunkStart = src.position();
            ingest.from(conformed ? conform : c);
            c.assembler.accept(src, ingest);
            if (ingest.audioChange() != null) {
                conformAudio(c, ingest.audioChange(), conformed ? null : src.duplicate().position(chunkStart));
            }
            c.dataArrived(System.nanoTime());
            r = ring;
            type = c.contentType();
            verdict = ingest.verdict();
            boolean judged = ingest.sourceHasTables() && ingest.audioChange() == null; // a held source: not yet
            if (verdict != TsHealth.Verdict.HEALTHY || (!c.healthNoted && judged)) {
                c.healthNoted = true; // healthy once per connection; a failure is noted whenever it comes
                stream.noteHealth(c.uri.toString(), verdict.reason());
            }
        }
        if (verdict != TsHealth.Verdict.HEALTHY) {
            // Up but broken (issue 15): a failure of the source like any other, recovered with players kept.
            throw new UpstreamFailureException(UpstreamFailure.media(UpstreamFailure.Kind.valueOf(verdict.name()),
                    owner.settings().tsHealthTimeout().toMillis() / 1000.0));
        }
        // Waiting players get their first bytes now; from then on the delivery rounds write to every player.
        for (ClientTap t : toStart) {
            t.start(r, c.start, false, type);
        }
    }

    /**
     * The current source's audio is another codec than players opened (issue 14): from now on its bytes go through
     * FFmpeg, which gives players that codec, and the splice follows its output. Without FFmpeg or a free process
     * slot, or with SPLICE_CONFORM_AUDIO off, the source goes as it is. {@code chunk} is the source's chunk that
     * showed the change (its PMT included: FFmpeg starts from it), or null for a conform's own output, which goes
     * as it is (what FFmpeg made of it is what there is). Under the relay's lock.
     */
    private void conformAudio(UpstreamConnection c, AudioChange change, ByteBuffer chunk) {
        if (chunk == null) {
            ingest.passAudioAsIs();
            return;
        }
        AudioConform a = owner.transcoders().conform(stream.id(), change, c.feed(), c.conformedOutput());
        if (a == null) {
            LOG.info(() -> "audio not conformed stream=" + stream.id() + " encoders=" + change.encoders()
                    + ": FFmpeg missing or SPLICE_CONFORM_MAX_PROCESSES reached; the source goes as it is");
            ingest.passAudioAsIs();
            return;
        }
        LOG.info(() -> "audio conformed stream=" + stream.id() + " encoders=" + change.encoders());
        c.conformThrough(a);
        a.input(chunk);
        a.start();
    }

    @Override
    public void ended(UpstreamConnection c) {
        if (droppedStandby(c)) {
            return;
        }
        if (!c.sawData) {
            failed(c, UpstreamFailure.notMedia("empty body"));
            return;
        }
        synchronized (this) {
            AudioConform conform = c.conform();
            if (c == current && conform != null) {
                conform.inputEnded(); // players' end comes when FFmpeg has given out all of it
                return;
            }
        }
        endOf(c, c);
    }

    @Override
    public void conformEnded(UpstreamConnection c) {
        endOf(c, c.conform());
    }

    /** A clean end of the current connection: the last whole packets of {@code packetsFrom}, then players end. */
    private void endOf(UpstreamConnection c, Object packetsFrom) {
        long end;
        synchronized (this) {
            if (c != current) {
                return;
            }
            current = null;
            state = State.IDLE;
            ingest.from(packetsFrom);
            c.assembler.flush(ingest); // a clean end: all of it
            end = ring.head();
        }
        for (ClientTap t : taps) {
            t.stopAt(end);
        }
    }

    @Override
    public void failed(UpstreamConnection c, UpstreamFailure f) {
        if (droppedStandby(c)) {
            return;
        }
        if (f.kind() == UpstreamFailure.Kind.HLS_PLAYLIST) {
            onPlaylistInsteadOfTs(c);
            return;
        }
        RecoveryEpisode ep;
        boolean standbyWanted;
        synchronized (this) {
            if (c != current) {
                return;
            }
            current = null;
            c.stopConform(); // whichever side failed, FFmpeg and the source go with the connection
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
            boolean fresh = !recovery.inEpisode();
            // After a stall its players have waited a chunk timeout already: retries must be quick.
            boolean afterStall = f.kind() == UpstreamFailure.Kind.STALL && c.sawData;
            ep = recovery.episodeFor(f, () -> afterStall
                    ? owner.recovery().newEpisodeAfterStall(stream.sources())
                    : owner.recovery().newEpisode(stream.sources()));
            standbyWanted = fresh && ep != null;
        }
        if (standbyWanted) {
            connectStandby();
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
                dropStandby();
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
            dropStandby();
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
