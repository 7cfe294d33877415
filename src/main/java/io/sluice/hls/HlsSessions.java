package io.sluice.hls;

import io.sluice.support.DaemonThreads;
import io.sluice.config.Settings;
import io.sluice.events.ClientConnected;
import io.sluice.events.ClientDisconnected;
import io.sluice.events.Events;
import io.sluice.streams.Client;
import io.sluice.streams.PlayerIdentity;
import io.sluice.streams.Stream;
import io.sluice.streams.StreamRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * HLS player sessions: opened by a player's first playlist request ({@code client_connected} once, not per
 * segment), kept alive by its requests, ended after {@code CLIENT_TIMEOUT} without one.
 */
@ApplicationScoped
public class HlsSessions {
    @Inject
    Settings settings;
    @Inject
    StreamRegistry registry;
    @Inject
    Events events;

    private ScheduledExecutorService sweeper;

    @PostConstruct
    void start() {
        sweeper = DaemonThreads.timer("sluice-hls-sessions");
        sweeper.scheduleAtFixedRate(this::expire, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
    }

    /** Any HLS request of a player: opens its session if it has none, else keeps it alive. */
    public Client seen(Stream stream, PlayerIdentity who) {
        Stream.Attachment a = stream.touch(who);
        if (a.newSession()) {
            events.fire(new ClientConnected(stream.id(), who.clientId(), who.ipAddress(), who.userAgent(),
                    who.username(), stream.clientCount(), stream.spec().metadata(), Instant.now()));
        }
        return a.client();
    }

    private void expire() {
        Instant cutoff = Instant.now().minus(settings.clientTimeout());
        for (Stream s : registry.all()) {
            for (Client c : s.expireIdle(cutoff)) {
                events.fire(new ClientDisconnected(s.id(), c.clientId(), c.bytesServed(), c.segmentsServed(),
                        s.spec().metadata(), Instant.now()));
            }
        }
    }
}
