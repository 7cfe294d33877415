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

    public RedisStore(URI url, Duration timeout) {
        int millis = (int) Math.max(1, timeout.toMillis());
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(8); // a few management calls and the sync at a time; nothing streams through here
        config.setMaxIdle(8);
        config.setMinIdle(0);
        config.setMaxWait(timeout); // waiting for a pooled connection is bounded like the call itself
        config.setTestOnBorrow(true); // after a Redis restart, pooled connections are dead: find out before use
        config.setJmxEnabled(false); // two deployments in one JVM would collide on the MBean name
        this.pool = new JedisPool(config, url, millis, millis);
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

    private void failed(JedisException e) {
        failFastUntil = System.nanoTime() + timeoutNanos;
        // The exception text names host and port only; the URL (and any password in it) is never logged.
        LOG.log(Level.FINE, "Redis call failed: " + e.getClass().getSimpleName(), e);
    }
}
