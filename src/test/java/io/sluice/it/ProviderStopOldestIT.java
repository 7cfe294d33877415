package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.testing.Await;
import io.sluice.testing.Player;
import io.sluice.testing.TestUpstream;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Provider capacity with {@code stop_oldest}: the newest channel wins on a single-connection provider. */
class ProviderStopOldestIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of("PROVIDER_MAX_CONNECTIONS", "1", "PROVIDER_LIMIT_POLICY", "stop_oldest"));
    }

    @Test
    void theOldestStreamOfTheProviderMakesRoom() throws Exception {
        upstream.route("/live/old.ts", TestUpstream.liveTs(200_000));
        upstream.route("/live/new.ts", TestUpstream.liveTs(200_000));
        String old = api.register(upstream.url("/live/old.ts"));
        String fresh = api.register(upstream.url("/live/new.ts"));
        try (Player watching = Player.play(playerUrl(old), 1024)) {
            Await.until("playing", Duration.ofSeconds(10), () -> watching.total() > 0);
            try (Player switched = Player.play(playerUrl(fresh), 1024)) {
                Await.until("the new channel plays", Duration.ofSeconds(10), () -> switched.total() > 0);
                Await.until("the old one ended", Duration.ofSeconds(2), () -> watching.ended().isDone());
                assertEquals(404, api.get("/streams/" + old).status());
                Await.until("one upstream to the provider", Duration.ofSeconds(2),
                        () -> upstream.openConnections() == 1);
            }
        }
    }
}
