package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.Await;
import io.sluice.testing.Browser;
import io.sluice.testing.Player;
import io.sluice.testing.TestUpstream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** The console in real headless Chromium: token, a running stream, the failover button, the event arriving live. */
class ConsoleBrowserIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }

    @Test
    void anOperatorFailsAStreamOverFromTheConsole() throws Exception {
        upstream.route("/live/news.ts", TestUpstream.liveTs(200_000));
        upstream.route("/backup/news.ts", TestUpstream.liveTs(200_000));
        String id = api.register(upstream.url("/live/news.ts"), "\"failover_urls\":[\"" + upstream.url("/backup/news.ts")
                + "\"],\"metadata\":{\"channel_id\":\"101\"}");
        try (Player p = Player.play(playerUrl(id) + "?client_id=lobby-tv", 1024);
             Browser browser = Browser.start()) {
            Await.until("playing", Duration.ofSeconds(10), () -> p.total() > 0);
            browser.open(api.base() + "/console");
            browser.type("#token", Api.TOKEN);
            browser.click("#connect");
            String row = "tr[data-stream-id='" + id + "']";
            Await.until("the console shows the running stream", Duration.ofSeconds(10),
                    () -> browser.text(row).contains("playing") && browser.text(row).contains("primary"));
            Await.until("the event feed is live", Duration.ofSeconds(10),
                    () -> browser.text("#feed-state").contains("live"));
            browser.click(row + " button.failover");
            Await.until("failover_triggered appears live", Duration.ofSeconds(10),
                    () -> browser.text("#events").contains("failover_triggered"));
            Await.until("the row shows the backup", Duration.ofSeconds(10), () -> browser.text(row).contains("backup 1"));
            browser.screenshot(Path.of("target", "console.png"));
            assertTrue(p.total() > 0 && !p.ended().isDone(), "the player kept playing through the failover");
        }
    }
}
