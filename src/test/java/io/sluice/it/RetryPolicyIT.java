package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import io.sluice.testing.TestUpstream;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Retries as configured, measured at the upstream: count, delays, backoff 1.5 and the total-timeout bound. */
class RetryPolicyIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        // Delays 300, 450, 675 ms with backoff; the third would end past the 1 s bound, so two retries.
        return war(Map.of("STREAM_RETRY_ATTEMPTS", "3", "STREAM_RETRY_DELAY", "0.3",
                "STREAM_RETRY_EXPONENTIAL_BACKOFF", "true", "STREAM_TOTAL_TIMEOUT", "1.0"));
    }

    @Test
    void retriesBackOffByOneAndAHalfWithinTheTotalTimeout() {
        upstream.route("/live/down.ts", TestUpstream.status(503));
        String id = api.register(upstream.url("/live/down.ts"));
        Api.Reply r = api.send(api.request("/stream/" + id).GET().build());
        assertEquals(502, r.status());
        List<Long> t = upstream.arrivals("/live/down.ts");
        assertEquals(3, t.size(), "one try and two retries (a third would pass STREAM_TOTAL_TIMEOUT)");
        assertGap(t, 0, 300);
        assertGap(t, 1, 450);
    }

    private static void assertGap(List<Long> arrivals, int i, long expectedMillis) {
        long gap = (arrivals.get(i + 1) - arrivals.get(i)) / 1_000_000;
        assertTrue(Math.abs(gap - expectedMillis) <= 100, "retry " + (i + 1) + " came after " + gap
                + " ms, expected " + expectedMillis + " ± 100");
    }
}
