package io.sluice.store;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisException;

/**
 * State in Redis ({@code STORE=redis}), one hash per {@link Bucket} under {@code sluice:}, so several instances
 * share it and a restart loses nothing. Every call is bounded; after a failure, calls fail fast for one timeout
 * so that an outage costs requests nothing but the error.
 */
public final class RedisStore implements Store {
    private static final Logger LOG = Logger.getLogger(RedisStore.class.getName());
    private static final String PREFIX = "sluice:";

    private final JedisPool pool;
    private final long timeoutNanos;
    private volatile long failFastUntil;

    /** Sets a key back unless it exists or its removal is marked (KEYS: bucket, removals; ARGV: key, document, mark). */
    private static final String RESTORE = "if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 then return 0 end "
            + "return redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])";

    public RedisStore(URI url, Duration timeout) {
        int millis = (int) Math.max(1, timeout.toMillis());
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(8); // a few management calls and the sync at a time; nothing streams through here
        config.setMaxIdle(8);
        config.setMinIdle(0);
        config.setMaxWait(timeout); // waiting for a pooled connection is bounded like the call itself
        config.setTestOnBorrow(true); // after a Redis restart, pooled connections are dead: find out before use
        config.setJmxEnabled(false); // two deployments in one JVM would collide on the MBean name
        try {
            this.pool = new JedisPool(config, withPort(url), millis, millis);
        } catch (RuntimeException e) {
            // Jedis puts the whole URL, password included, in its message: never let it reach a log.
            throw new IllegalStateException("REDIS_URL cannot be used (host " + url.getHost() + ")");
        }
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void put(Bucket bucket, String key, String document) {
        call(r -> r.hset(PREFIX + bucket.key(), key, document));
    }

    @Override
    public void remove(Bucket bucket, String key) {
        call(r -> r.hdel(PREFIX + bucket.key(), key));
    }

    @Override
    public boolean restore(Bucket bucket, String key, String document) {
        Object wrote = call(r -> r.eval(RESTORE, java.util.List.of(PREFIX + bucket.key(), PREFIX + Bucket.REMOVED.key()),
                java.util.List.of(key, document, Tombstones.key(bucket, key))));
        return Long.valueOf(1).equals(wrote);
    }

    @Override
    public Optional<String> get(Bucket bucket, String key) {
        return Optional.ofNullable(call(r -> r.hget(PREFIX + bucket.key(), key)));
    }

    @Override
    public Map<String, String> all(Bucket bucket) {
        return Map.copyOf(call(r -> r.hgetAll(PREFIX + bucket.key())));
    }

    @Override
    public boolean reachable() {
        try (Jedis r = pool.getResource()) {
            boolean up = "PONG".equals(r.ping());
            if (up) {
                failFastUntil = 0;
            }
            return up;
        } catch (JedisException e) {
            failed(e);
            return false;
        }
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public void close() {
        pool.close();
    }

    private <T> T call(Function<Jedis, T> command) {
        long until = failFastUntil;
        if (until != 0 && System.nanoTime() - until < 0) {
            throw new StoreUnavailableException("store unavailable", null);
        }
        try (Jedis r = pool.getResource()) {
            T result = command.apply(r);
            failFastUntil = 0;
            return result;
        } catch (JedisException e) {
            failed(e);
            throw new StoreUnavailableException("store unavailable", e);
        }
    }

    /** Redis's default port when the URL names none (Jedis refuses a URL without one). */
    static URI withPort(URI url) {
        if (url.getPort() != -1) {
            return url;
        }
        try {
            return new URI(url.getScheme(), url.getUserInfo(), url.getHost(), 6379,
                    url.getPath(), url.getQuery(), url.getFragment());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("REDIS_URL cannot be used (host " + url.getHost() + ")");
        }
    }

    private void failed(JedisException e) {
        if (e.getCause() instanceof java.util.NoSuchElementException busy
                && String.valueOf(busy.getMessage()).startsWith("Timeout waiting for idle object")) {
            return; // every pooled connection busy: a burst here, not an outage of Redis
        }
        failFastUntil = System.nanoTime() + timeoutNanos;
        // The exception text names host and port only; the URL (and any password in it) is never logged.
        LOG.log(Level.FINE, "Redis call failed: " + e.getClass().getSimpleName(), e);
    }
}
