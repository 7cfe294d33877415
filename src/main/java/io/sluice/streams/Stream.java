package io.sluice.streams;

import io.sluice.sources.Recovery;
import io.sluice.sources.SourceState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A registered stream and what is known of it now: its spec, its players and its counters. */
public final class Stream {
    private final String id;
    private volatile StreamSpec spec;
    private final Instant createdAt;
    private volatile Instant lastAccess;
    /**
     * {@link System#nanoTime()} when the store last confirmed this stream, or {@link #WRITING} while a write is
     * under way: the sync must not take a stream written after its snapshot for one removed elsewhere.
     */
    private volatile long storedAt;
    private static final long WRITING = Long.MAX_VALUE;
    private final AtomicLong bytesServed = new AtomicLong();
    private final AtomicLong segmentsServed = new AtomicLong();
    private final AtomicLong errorCount = new AtomicLong();
    private final ConcurrentHashMap<String, Client> clients = new ConcurrentHashMap<>();
    private volatile SourceState sources;
    /**
     * In a period of use: from registration (or a player returning) until it has had no player for
     * {@code STREAM_TIMEOUT}, failed with none left, or was removed. m3u-proxy's {@code is_active}; each period
     * is announced once at its start and once at its end.
     */
    private final java.util.concurrent.atomic.AtomicBoolean inUse = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean failedInPeriod;
    /** Last health verdict per source URL; bounded by the stream's sources (a resolver adds a few more). */
    private final ConcurrentHashMap<String, SourceHealth> health = new ConcurrentHashMap<>();
    private static final int MAX_HEALTH_ENTRIES = 64;

    private final java.util.concurrent.atomic.LongAdder allStreamsBytes;

    Stream(StreamSpec spec, Instant createdAt, java.util.concurrent.atomic.LongAdder allStreamsBytes) {
        this.allStreamsBytes = allStreamsBytes;
        this.createdAt = createdAt;
        this.lastAccess = createdAt;
        this.storedAt = WRITING;
        this.id = spec.id();
        this.spec = spec;
        this.sources = sourcesOf(spec);
    }

    private static SourceState sourcesOf(StreamSpec spec) {
        return new SourceState(spec.url(), spec.failoverUrls(), spec.useStickySession(),
                spec.failoverResolverUrl() != null);
    }

    /** Which URL the stream uses now, its sticky lock and failover position. */
    public SourceState sources() {
        return sources;
    }

    /**
     * The origins the stream's {@code headers} may be sent to: its registered URLs and the source it is on now
     * (a resolver may name one). Not a sticky backend, nor any host a playlist or a redirect names.
     */
    public java.util.Set<String> headerOrigins() {
        StreamSpec s = spec;
        List<String> own = new java.util.ArrayList<>(s.failoverUrls());
        own.add(s.url());
        own.add(sources.entryUrl());
        return io.sluice.upstream.Origins.ofAll(own);
    }

    /** What recovery needs to know of this stream. */
    public Recovery.Subject recoverySubject() {
        StreamSpec s = spec;
        return new Recovery.Subject(id, sources, s.metadata(), s.failoverResolverUrl(), this::clientCount);
    }

    public String id() {
        return id;
    }

    public StreamSpec spec() {
        return spec;
    }

    void replaceSpec(StreamSpec newSpec) {
        this.spec = newSpec;
        this.sources = sourcesOf(newSpec);
    }

    /**
     * Registered again while players are attached: what is read at each upstream request (sources, sticky
     * sessions, resolver, headers, user agent, metadata, strictness, silence detection) applies at once, from the current source
     * on; what shapes the running relay (kind, shared upstream, transcoding) is kept. Returns the kept names.
     */
    List<String> replaceSpecWhilePlaying(StreamSpec newSpec) {
        StreamSpec old = spec;
        List<String> kept = new java.util.ArrayList<>();
        if (newSpec.kind() != old.kind()) {
            kept.add("stream_type");
        }
        if (newSpec.sharedUpstream() != old.sharedUpstream()) {
            kept.add("shared_upstream");
        }
        if (!java.util.Objects.equals(newSpec.transcode(), old.transcode())) {
            kept.add("transcode");
        }
        StreamSpec applied = new StreamSpec(newSpec.url(), newSpec.failoverUrls(), newSpec.failoverResolverUrl(),
                newSpec.userAgent(), newSpec.headers(), newSpec.metadata(), newSpec.useStickySession(),
                old.sharedUpstream(), newSpec.strictLiveTs(), old.kind(), old.transcode(), newSpec.silence());
        SourceState fresh = sourcesOf(applied);
        fresh.continueFrom(sources);
        this.spec = applied;
        this.sources = fresh;
        return kept;
    }

    /** What the upstream turned out to serve wins over what its URL suggested (SPEC 5). */
    public void correctKind(StreamKind kind) {
        this.spec = spec.withKind(kind);
    }

    void replaceMetadata(Map<String, String> metadata) {
        this.spec = spec.withMetadata(metadata);
    }

    void writing() {
        storedAt = WRITING;
    }

    void stored(long nanos) {
        storedAt = nanos;
    }

    /** True when the store confirmed this stream before {@code nanos} and no write is under way. */
    boolean storedBefore(long nanos) {
        long at = storedAt;
        return at != WRITING && at - nanos < 0;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastAccess() {
        return lastAccess;
    }

    /** True when this call began a period of use (it was not in one). */
    boolean beginPeriod() {
        if (!inUse.compareAndSet(false, true)) {
            return false;
        }
        failedInPeriod = false;
        lastAccess = Instant.now();
        return true;
    }

    /** True when this call ended the period of use (so exactly one caller announces the end). */
    boolean endPeriod() {
        return inUse.compareAndSet(true, false);
    }

    public boolean inUse() {
        return inUse.get();
    }

    void failed() {
        failedInPeriod = true;
    }

    boolean failedInPeriod() {
        return failedInPeriod;
    }

    void recovered() {
        failedInPeriod = false;
    }

    /** A player connection opens; the result says whether it began a new player session. */
    public Attachment connect(PlayerIdentity who) {
        boolean[] fresh = {false};
        Client c = clients.compute(who.clientId(), (k, old) -> {
            Client client = old;
            if (client == null) {
                client = new Client(who.clientId(), id, who.ipAddress(), who.userAgent(), who.username());
                fresh[0] = true;
            }
            client.connectionCount().incrementAndGet();
            return client;
        });
        lastAccess = Instant.now();
        return new Attachment(c, fresh[0]);
    }

    /** A player connection closes; returns true when that ended the player's session. */
    public boolean disconnect(Client client) {
        boolean[] ended = {false};
        clients.computeIfPresent(client.clientId(), (k, c) -> {
            if (c != client) {
                return c;
            }
            if (c.connectionCount().decrementAndGet() <= 0) {
                ended[0] = true;
                return null;
            }
            return c;
        });
        lastAccess = Instant.now();
        return ended[0];
    }

    /**
     * An HLS request from {@code who}: HLS players hold no connection, so a session lives as long as requests
     * keep coming, and the first request opens it.
     */
    public Attachment touch(PlayerIdentity who) {
        boolean[] fresh = {false};
        Client c = clients.computeIfAbsent(who.clientId(), k -> {
            fresh[0] = true;
            return new Client(who.clientId(), id, who.ipAddress(), who.userAgent(), who.username());
        });
        c.touch();
        lastAccess = Instant.now();
        return new Attachment(c, fresh[0]);
    }

    /**
     * An HLS request that waits for its answer (a transcoder's first segment takes FFmpeg's probe and a whole
     * segment) keeps its session, and so the stream, in use while it waits: idle counts from the answer. Without
     * this a first segment slower than the client or stream timeout ended the period, which stopped FFmpeg, and
     * the next request started it again from nothing.
     */
    public <T> java.util.concurrent.CompletableFuture<T> whileWaiting(Client c,
            java.util.function.Supplier<java.util.concurrent.CompletableFuture<T>> request) {
        c.connectionCount().incrementAndGet();
        java.util.concurrent.CompletableFuture<T> answer;
        try {
            answer = request.get();
        } catch (RuntimeException e) {
            answered(c);
            throw e;
        }
        return answer.whenComplete((r, e) -> answered(c));
    }

    private void answered(Client c) {
        c.touch();
        lastAccess = Instant.now();
        c.connectionCount().decrementAndGet();
    }

    /** Ends the HLS sessions with no request since {@code cutoff}; returns them. */
    public List<Client> expireIdle(Instant cutoff) {
        List<Client> gone = new java.util.ArrayList<>();
        for (Client c : clients.values()) {
            if (c.connections() == 0 && c.lastAccess().isBefore(cutoff)
                    && clients.remove(c.clientId(), c)) {
                gone.add(c);
            }
        }
        return gone;
    }

    public void servedSegment(Client client) {
        segmentsServed.incrementAndGet();
        client.servedSegment();
    }

    public int clientCount() {
        return clients.size();
    }

    public List<ClientStats> clientStats() {
        return clients.values().stream().map(Client::stats).toList();
    }

    public void served(Client client, long bytes) {
        bytesServed.addAndGet(bytes);
        allStreamsBytes.add(bytes);
        client.served(bytes);
    }

    /** Notes what a source's media looked like (issue 15); shown in {@code /streams/{id}}. */
    public void noteHealth(String sourceUrl, String verdict) {
        if (health.size() >= MAX_HEALTH_ENTRIES && !health.containsKey(sourceUrl)) {
            return;
        }
        health.put(sourceUrl, new SourceHealth(verdict, Times.iso(Instant.now())));
    }

    public void countError() {
        errorCount.incrementAndGet();
    }

    public StreamStats stats() {
        StreamSpec s = spec;
        SourceState src = sources;
        return new StreamStats(id, s.url(), src.entryUrl(), s.userAgent(), clients.size(), bytesServed.get(),
                segmentsServed.get(), errorCount.get(), inUse.get(), src.hasFailover(), s.failoverUrls(),
                s.failoverResolverUrl(), src.failoverIndex(), src.failoverAttempts(),
                Times.iso(src.lastFailoverTime()), s.kind().statsLabel(), Times.iso(createdAt),
                Times.iso(lastAccess), s.metadata(), s.kind().apiName(),
                new StickyStats(src.stickyEnabled(), src.lockedUrl(), Times.iso(src.lockedAt())), s.silence(),
                java.util.Map.copyOf(health));
    }

    /** The player's session and whether this connection opened it. */
    public record Attachment(Client client, boolean newSession) {
    }
}
