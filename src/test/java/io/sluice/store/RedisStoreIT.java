package io.sluice.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Await;
import io.sluice.testing.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Redis store against a real redis-server on loopback: what it keeps, and how it fails and comes back. */
class RedisStoreIT {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static RedisServer redis;
    private static RedisStore store;

    @BeforeAll
    static void start() {
        redis = RedisServer.onFreePort().start();
        store = new RedisStore(URI.create(redis.url()), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        store.close();
        redis.stop();
    }

    @BeforeEach
    void empty() {
        redis.start();
        assertEquals("+OK", redis.command("FLUSHALL"));
    }

    @Test
    void keepsDocumentsPerBucket() {
        store.put(Bucket.STREAMS, "a", "{\"n\":1}");
        store.put(Bucket.STREAMS, "b", "{\"n\":2}");
        store.put(Bucket.WEBHOOKS, "a", "{\"hook\":true}");
        store.put(Bucket.STREAMS, "a", "{\"n\":3}");

        assertEquals(Map.of("a", "{\"n\":3}", "b", "{\"n\":2}"), store.all(Bucket.STREAMS));
        assertEquals(Optional.of("{\"hook\":true}"), store.get(Bucket.WEBHOOKS, "a"));
        store.remove(Bucket.STREAMS, "a");
        assertEquals(Map.of("b", "{\"n\":2}"), store.all(Bucket.STREAMS));
        assertEquals(Optional.empty(), store.get(Bucket.STREAMS, "a"));
        assertTrue(store.shared());
    }

    @Test
    void aLostEntryIsWrittenBackOnlyWhenNeitherRemovedNorRegisteredAgain() {
        assertTrue(store.restore(Bucket.STREAMS, "lost", "{\"v\":1}"));
        assertEquals(Optional.of("{\"v\":1}"), store.get(Bucket.STREAMS, "lost"));

        store.put(Bucket.STREAMS, "newer", "{\"v\":2}");
        assertFalse(store.restore(Bucket.STREAMS, "newer", "{\"v\":1}"), "a newer registration wins");
        assertEquals(Optional.of("{\"v\":2}"), store.get(Bucket.STREAMS, "newer"));

        Tombstones.mark(store, Bucket.STREAMS, "gone");
        assertFalse(store.restore(Bucket.STREAMS, "gone", "{\"v\":1}"), "a marked removal wins");
        assertEquals(Optional.empty(), store.get(Bucket.STREAMS, "gone"));
    }

    @Test
    void aUrlWithoutPortMeansTheDefaultPortAndAPasswordNeverReachesAMessage() {
        assertEquals(6379, RedisStore.withPort(URI.create("redis://:pw-9@cache.internal/2")).getPort());
        assertEquals("pw-9", RedisStore.withPort(URI.create("redis://:pw-9@cache.internal/2")).getUserInfo().substring(1));
        try (RedisStore s = new RedisStore(URI.create("redis://:pw-9@127.0.0.1:" + redis.port()), TIMEOUT)) {
            assertFalse(s.reachable(), "wrong password: not reachable"); // this server has none, AUTH fails
        } catch (IllegalStateException e) {
            assertFalse(e.getMessage().contains("pw-9"), e.getMessage());
        }
    }

    @Test
    void aDeadServerIsReportedWithinTheTimeoutAndTheStoreRecoversWhenItIsBack() {
        store.put(Bucket.STREAMS, "a", "{}");
        assertTrue(store.reachable());

        redis.stop();
        long t0 = System.nanoTime();
        assertFalse(store.reachable());
        assertThrows(StoreUnavailableException.class, () -> store.put(Bucket.STREAMS, "b", "{}"));
        assertThrows(StoreUnavailableException.class, () -> store.all(Bucket.STREAMS));
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(tookMillis < 3 * TIMEOUT.toMillis() + 500, "three calls against a dead store took " + tookMillis + " ms");

        redis.start(); // empty again: no persistence
        Await.until("the store answering again", Duration.ofSeconds(5), store::reachable);
        store.put(Bucket.STREAMS, "c", "{}");
        assertEquals(Map.of("c", "{}"), store.all(Bucket.STREAMS));
    }

    @Test
    void aServerThatAcceptsButNeverAnswersCostsOneTimeout() throws Exception {
        try (var silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             var hung = new RedisStore(URI.create("redis://127.0.0.1:" + silent.getLocalPort()), TIMEOUT)) {
            long t0 = System.nanoTime();
            assertFalse(hung.reachable());
            long tookMillis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(tookMillis < 4 * TIMEOUT.toMillis(), "a silent server held the call " + tookMillis + " ms");
        }
    }
}
