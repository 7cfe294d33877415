package io.sluice.ops;

import java.time.Duration;
import io.micrometer.core.instrument.Timer;
import io.sluice.broadcast.BroadcastEvent;
import io.sluice.broadcast.Broadcasts;
import io.sluice.events.Measured;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.events.ClientConnected;
import io.sluice.events.ClientDisconnected;
import io.sluice.events.FailoverTriggered;
import io.sluice.events.SluiceEvent;
import io.sluice.events.SourceMarkedInvalid;
import io.sluice.events.StickySessionLocked;
import io.sluice.events.StickySessionReverted;
import io.sluice.events.StreamFailed;
import io.sluice.events.StreamStarted;
import io.sluice.events.StreamStopped;
import io.sluice.hls.PlaylistFetcher;
import io.sluice.relay.LiveRelays;
import io.sluice.sources.Recovery;
import io.sluice.streams.Stream;
import io.sluice.streams.StreamRegistry;
import io.sluice.webhooks.WebhookDispatcher;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus metrics (SPEC 13) through Micrometer: counters fed by the events, gauges and totals read from
 * the live objects at scrape time. Names follow Prometheus conventions ({@code sluice_..._total}).
 */
@ApplicationScoped
public class Metrics {
    @Inject
    StreamRegistry streams;
    @Inject
    LiveRelays relays;
    @Inject
    PlaylistFetcher playlists;
    @Inject
    WebhookDispatcher webhooks;
    @Inject
    Recovery recovery;

    private PrometheusMeterRegistry registry;
    private final Set<String> retryReasons = ConcurrentHashMap.newKeySet();
    private Timer firstByte;
    private Timer stall;

    @Inject
    io.sluice.store.StoreSync storeSync;
    @Inject
    io.sluice.transcode.Transcoders transcoders;
    @Inject
    Broadcasts broadcasts;

    @PostConstruct
    void start() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Histograms with fixed buckets, so instances can be aggregated in Prometheus.
        firstByte = Timer.builder("sluice.player.first.byte")
                .description("From a live player's request to its first byte")
                .serviceLevelObjectives(ms(10), ms(50), ms(100), ms(250), ms(500), ms(1000), ms(2500), ms(5000),
                        ms(10000))
                .register(registry);
        stall = Timer.builder("sluice.upstream.stall")
                .description("From a live upstream breaking under players to the recovered upstream's first byte")
                .serviceLevelObjectives(ms(50), ms(250), ms(1000), ms(2500), ms(5000), ms(10000), ms(30000),
                        ms(60000))
                .register(registry);
        Gauge.builder("sluice.broadcasts.running", broadcasts, Broadcasts::running)
                .description("Network broadcasts with FFmpeg running").register(registry);
        Gauge.builder("sluice.broadcasts.memory.bytes", broadcasts, Broadcasts::bytesInMemory)
                .description("Broadcast segments held in memory").register(registry);
        Gauge.builder("sluice.streams", streams, r -> r.all().size())
                .description("Registered streams").register(registry);
        Gauge.builder("sluice.streams.active", streams, r -> r.all().stream().filter(s -> s.clientCount() > 0).count())
                .description("Streams with at least one player").register(registry);
        Gauge.builder("sluice.clients", streams, r -> r.all().stream().mapToInt(Stream::clientCount).sum())
                .description("Player sessions").register(registry);
        Gauge.builder("sluice.upstream.connections", relays, LiveRelays::openUpstreams)
                .description("Live upstream connections open").register(registry);
        Gauge.builder("sluice.transcoders", transcoders, io.sluice.transcode.Transcoders::running)
                .description("FFmpeg processes running (one per transcoded stream with players)").register(registry);
        Gauge.builder("sluice.audio.conforms", transcoders, io.sluice.transcode.Transcoders::conforming)
                .description("FFmpeg processes giving players of a live stream the audio codec they opened, while "
                        + "its source has another").register(registry);
        Gauge.builder("sluice.store.up", storeSync, s -> s.storeUp() ? 1 : 0)
                .description("1 when the last look at the store succeeded (always 1 for the memory store)")
                .register(registry);
        FunctionCounter.builder("sluice.served", streams, StreamRegistry::bytesServedTotal).baseUnit("bytes")
                .description("Bytes sent to players").register(registry);
        FunctionCounter.builder("sluice.player.skips", relays, LiveRelays::playerSkips)
                .description("Players moved to the live edge after falling behind the ring").register(registry);
        FunctionCounter.builder("sluice.playlist.fetches", playlists, PlaylistFetcher::upstreamFetches)
                .description("Playlist fetches sent upstream").register(registry);
        FunctionCounter.builder("sluice.playlist.shared", playlists, PlaylistFetcher::sharedFetches)
                .description("Playlist requests served by a fetch already made or in flight").register(registry);
        FunctionCounter.builder("sluice.webhook.deliveries", webhooks, w -> w.totals()[0])
                .description("Webhook deliveries answered 2xx/3xx").register(registry);
        FunctionCounter.builder("sluice.webhook.failures", webhooks, w -> w.totals()[1])
                .description("Webhook deliveries given up after their retries").register(registry);
        FunctionCounter.builder("sluice.webhook.drops", webhooks, w -> w.totals()[2])
                .description("Events dropped because a webhook queue was full").register(registry);
    }

    void measured(@Observes Measured m) {
        Timer t = m.kind() == Measured.Kind.FIRST_BYTE ? firstByte : stall;
        t.record(m.duration());
    }

    void observe(@Observes SluiceEvent e) {
        if (e instanceof StreamStarted) {
            count("sluice.streams.started", "Streams registered");
        } else if (e instanceof StreamStopped s) {
            Counter.builder("sluice.streams.stopped").description("Streams stopped").tag("reason", s.reason())
                    .register(registry).increment();
        } else if (e instanceof StreamFailed) {
            count("sluice.streams.failed", "Streams whose every source failed");
        } else if (e instanceof ClientConnected) {
            count("sluice.clients.connected", "Player sessions opened");
        } else if (e instanceof ClientDisconnected) {
            count("sluice.clients.disconnected", "Player sessions ended");
        } else if (e instanceof FailoverTriggered f) {
            Counter.builder("sluice.failovers").description("Failovers").tag("reason", f.reason())
                    .tag("manual", Boolean.toString(f.manual())).register(registry).increment();
        } else if (e instanceof StickySessionLocked) {
            count("sluice.sticky.locks", "Sticky locks made");
        } else if (e instanceof StickySessionReverted) {
            count("sluice.sticky.reverts", "Sticky locks reverted");
        } else if (e instanceof SourceMarkedInvalid) {
            count("sluice.sources.invalidated", "Sources marked invalid by a fail condition");
        }
    }

    void observe(@Observes BroadcastEvent e) {
        Counter.builder("sluice.broadcasts.events").description("Broadcast programmes started, ended, failed")
                .tag("type", e.type()).register(registry).increment();
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private void count(String name, String description) {
        Counter.builder(name).description(description).register(registry).increment();
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        for (String reason : recovery.retriesByReason().keySet()) {
            if (retryReasons.add(reason)) {
                FunctionCounter.builder("sluice.retries", recovery,
                                r -> r.retriesByReason().getOrDefault(reason, 0L))
                        .description("Retries of a failed upstream URL").tag("reason", reason).register(registry);
            }
        }
        return registry.scrape();
    }
}
