package io.sluice.broadcast;

import io.sluice.support.DaemonThreads;
import io.sluice.upstream.UpstreamClient;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Tells a broadcast's {@code callback_url} that its programme ended or failed: on a timer of its own, never on a
 * player's or FFmpeg's thread; retried with growing delays when the editor is briefly away (a restart, a 5xx).
 */
@ApplicationScoped
public class BroadcastCallbacks {
    private static final Logger LOG = Logger.getLogger(BroadcastCallbacks.class.getName());
    static final int ATTEMPTS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, String> HEADERS = Map.of("User-Agent", "Sluice-Broadcast/1.0");

    @Inject
    UpstreamClient upstream;

    private ScheduledExecutorService timer;
    private volatile long firstRetryMillis = 1000;

    /** Made here, not in a field initialiser: a CDI proxy of this bean must not start a thread of its own. */
    @PostConstruct
    void start() {
        timer = DaemonThreads.timer("sluice-broadcast-callbacks");
    }

    public void send(String url, String json) {
        timer.execute(() -> attempt(URI.create(url), json, 1));
    }

    private void attempt(URI url, String json, int n) {
        upstream.postJson(url, json, HEADERS, TIMEOUT).whenComplete((r, error) -> {
            boolean ok = error == null && r.status() >= 200 && r.status() < 300;
            if (ok) {
                return;
            }
            String why = error != null ? error.getClass().getSimpleName() : "HTTP " + r.status();
            // The host only: a callback URL may carry a token in its query.
            LOG.warning(() -> "broadcast callback to " + url.getHost() + " failed (" + why + "), attempt " + n);
            boolean retryable = error != null || r.status() >= 500 || r.status() == 408 || r.status() == 429;
            if (retryable && n < ATTEMPTS && !timer.isShutdown()) {
                timer.schedule(() -> attempt(url, json, n + 1), firstRetryMillis << (n - 1), TimeUnit.MILLISECONDS);
            }
        });
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
    }
}
