package io.sluice.relay;

import java.time.Duration;
import io.sluice.events.Events;
import io.sluice.events.Measured;
import io.sluice.support.DaemonThreads;
import io.sluice.config.Settings;
import io.sluice.events.FailoverTriggered;
import io.sluice.events.StopCause;
import io.sluice.streams.StreamRemoved;
import io.sluice.sources.Recovery;
import io.sluice.streams.Stream;
import io.sluice.streams.StreamRegistry;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import io.sluice.transcode.Ffmpeg;
import io.sluice.transcode.Transcoders;
import io.sluice.upstream.UpstreamClient;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Owns every live relay: one shared relay per stream, or one per player with {@code shared_upstream=false}. */
@ApplicationScoped
public class LiveRelays {
    /** How often chunk timeouts and stalled players are checked; well under the 1 s the spec allows. */
    private static final long TICK_MILLIS = 200;

    @Inject
    Settings settings;
    @Inject
    UpstreamClient upstream;
    @Inject
    Recovery recovery;
    @Inject
    StreamRegistry registry;

    @Inject
    Transcoders transcoders;
    @Inject
    Ffmpeg ffmpeg;

    private final ConcurrentHashMap<String, LiveRelay> shared = new ConcurrentHashMap<>();
    /** Streams admitted under the provider limit whose relay has not connected yet (guarded by itself). */
    private final java.util.Map<String, Admission> admissions = new java.util.HashMap<>();
    /** Attaching a player and connecting its relay takes milliseconds; a place is kept this long for it. */
    private static final long ADMISSION_NANOS = TimeUnit.SECONDS.toNanos(2);
    private final Set<LiveRelay> all = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService clock;
    /** Writes to every player of every relay in rounds. */
    private Delivery delivery;
    /** FFmpeg silence checks (issue 15): two at a time, a short queue, never on the relay's own threads. */
    private java.util.concurrent.ThreadPoolExecutor silenceChecks;

    @PostConstruct
    void start() {
        delivery = new Delivery(Delivery.defaultThreads(), Delivery.ROUND_MILLIS);
        clock = DaemonThreads.timer("sluice-relay-clock");
        silenceChecks = new java.util.concurrent.ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(32), DaemonThreads.named("sluice-silence-check"));
        silenceChecks.allowCoreThreadTimeOut(true);
        clock.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        all.forEach(LiveRelay::close);
        clock.shutdownNow();
        delivery.close();
        silenceChecks.shutdownNow();
    }

    LiveRelay relayFor(Stream stream) {
        if (!stream.spec().sharedUpstream()) {
            LiveRelay own = new LiveRelay(stream, false, this);
            all.add(own);
            return own;
        }
        return shared.compute(stream.id(), (id, r) -> {
            if (r != null && !r.isClosed()) {
                return r;
            }
            LiveRelay fresh = new LiveRelay(stream, true, this);
            all.add(fresh);
            return fresh;
        });
    }

    /**
     * Provider capacity (SPEC 11): may this stream open an upstream now? A stream that already has one always
     * may; past {@code PROVIDER_MAX_CONNECTIONS} upstreams to the same host, the new stream is refused, or the
     * host's oldest stream is stopped to make room ({@code PROVIDER_LIMIT_POLICY=stop_oldest}). Decisions are
     * taken one at a time, and an admitted stream holds its place until its relay has connected, so players of
     * two new streams arriving together cannot both take the last place.
     */
    boolean admit(Stream stream) {
        int max = settings.providerMaxConnections();
        if (max == 0) {
            return true;
        }
        LiveRelay mine = shared.get(stream.id());
        if (mine != null && (mine.holdsProviderPlace() || mine.playerCount() > 0)) {
            return true;
        }
        String host = hostOf(stream);
        Stream toStop;
        synchronized (admissions) {
            long now = System.nanoTime();
            List<LiveRelay> sameHost = all.stream()
                    .filter(r -> r.holdsProviderPlace() && host.equals(hostOf(r.stream())) && !r.streamId().equals(stream.id()))
                    .toList();
            Set<String> connected = new java.util.HashSet<>();
            all.stream().filter(LiveRelay::holdsProviderPlace).forEach(r -> connected.add(r.streamId()));
            // Kept only until its relay connects (then the relay counts) or for a moment at most.
            admissions.entrySet().removeIf(e -> now - e.getValue().until() > 0 || connected.contains(e.getKey()));
            long pending = admissions.entrySet().stream()
                    .filter(e -> e.getValue().host().equals(host) && !e.getKey().equals(stream.id()))
                    .count();
            if (sameHost.size() + pending < max) {
                admissions.put(stream.id(), new Admission(host, now + ADMISSION_NANOS));
                return true;
            }
            if (!"stop_oldest".equals(settings.providerLimitPolicy())) {
                return false;
            }
            Optional<Stream> oldest = sameHost.stream().map(LiveRelay::stream)
                    .min(java.util.Comparator.comparing(Stream::createdAt));
            if (oldest.isEmpty()) {
                return false; // every place is held by a stream still connecting: nothing old to stop
            }
            toStop = oldest.get();
            // The place is taken now; the stop (store calls, players closed) happens outside the lock.
            admissions.put(stream.id(), new Admission(host, now + ADMISSION_NANOS));
        }
        try {
            registry.stop(toStop.id(), StopCause.of(StopCause.PROVIDER_LIMIT));
            return true;
        } catch (io.sluice.store.StoreUnavailableException e) {
            synchronized (admissions) {
                admissions.remove(stream.id());
            }
            return false; // the oldest stream could not be stopped for good, so the limit stands
        }
    }

    /**
     * May a relay connect a standby to {@code uri} (a second connection while its source is retried)? Only while
     * that provider host has room under {@code PROVIDER_MAX_CONNECTIONS}, counting every stream's place and
     * standby there. Best effort: two relays deciding at the same moment may both take the last place.
     */
    boolean standbyFits(URI uri) {
        int max = settings.providerMaxConnections();
        if (max == 0) {
            return true;
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
        Set<String> placed = new java.util.HashSet<>();
        all.stream().filter(LiveRelay::holdsProviderPlace).forEach(r -> placed.add(r.streamId()));
        long used = all.stream().filter(r -> placed.contains(r.streamId()) && host.equals(hostOf(r.stream()))).count()
                + all.stream().filter(r -> host.equals(r.standbyHost())).count();
        synchronized (admissions) {
            long now = System.nanoTime();
            used += admissions.entrySet().stream().filter(e -> e.getValue().host().equals(host)
                    && now - e.getValue().until() < 0 && !placed.contains(e.getKey())).count();
        }
        return used < max;
    }

    /** A stream admitted but not connected yet, and until when its place is kept for it. */
    private record Admission(String host, long until) {
    }

    private static String hostOf(Stream s) {
        String host = URI.create(s.sources().entryUrl()).getHost();
        return host == null ? "" : host.toLowerCase(java.util.Locale.ROOT);
    }

    /** Upstream connections open right now, over all streams. */
    public int openUpstreams() {
        return (int) all.stream().filter(LiveRelay::hasUpstream).count();
    }

    private final java.util.concurrent.atomic.AtomicLong playerSkipsTotal = new java.util.concurrent.atomic.AtomicLong();

    /** Players moved to the live edge because they fell behind the ring, since start. */
    public long playerSkips() {
        return playerSkipsTotal.get();
    }

    @Inject
    Events events;

    void measured(Measured.Kind kind, long nanos) {
        events.measured(kind, Duration.ofNanos(nanos));
    }

    void countSkip() {
        playerSkipsTotal.incrementAndGet();
    }

    void onStreamRemoved(@Observes StreamRemoved stopped) {
        synchronized (admissions) {
            admissions.remove(stopped.streamId());
        }
        LiveRelay r = shared.remove(stopped.streamId());
        if (r != null) {
            r.close();
        }
        all.stream().filter(x -> x.streamId().equals(stopped.streamId())).forEach(LiveRelay::close);
    }

    /** A manual failover: every relay of the stream moves to the new source now (automatic ones move themselves). */
    void onFailover(@Observes FailoverTriggered failover) {
        if (failover.manual()) {
            all.stream().filter(r -> r.streamId().equals(failover.streamId())).forEach(LiveRelay::switchSource);
        }
    }

    void forget(LiveRelay relay) {
        all.remove(relay);
        shared.remove(relay.streamId(), relay);
    }

    private void tick() {
        long now = System.nanoTime();
        for (LiveRelay r : all) {
            try {
                r.tick(now);
            } catch (RuntimeException e) {
                // one relay's trouble must not stop the clock for the others
                java.util.logging.Logger.getLogger(LiveRelays.class.getName())
                        .log(java.util.logging.Level.WARNING, "relay tick failed", e);
            }
        }
    }

    Settings settings() {
        return settings;
    }

    UpstreamClient upstream() {
        return upstream;
    }

    Recovery recovery() {
        return recovery;
    }

    java.util.concurrent.Executor silenceChecks() {
        return silenceChecks;
    }

    boolean ffmpegAvailable() {
        return ffmpeg.available();
    }

    Transcoders transcoders() {
        return transcoders;
    }

    /**
     * Why a transcoded stream cannot get a transcoder now, or null when it can (it has one running, or FFmpeg is
     * here and a process slot is free).
     */
    String transcoderRefusal(Stream stream) {
        LiveRelay mine = shared.get(stream.id());
        if (mine != null && mine.hasUpstream()) {
            return null;
        }
        if (!transcoders.canStart()) {
            return ffmpeg.available() ? Transcoders.AT_CAPACITY : Ffmpeg.MISSING;
        }
        return null;
    }

    Delivery delivery() {
        return delivery;
    }

    ScheduledExecutorService clock() {
        return clock;
    }
}
