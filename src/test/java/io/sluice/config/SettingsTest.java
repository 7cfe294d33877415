package io.sluice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

    @Test
    void defaultsFollowTheSpec() {
        Settings s = Settings.from(name -> null);
        assertTrue(s.apiToken().isEmpty());
        assertEquals("/m3u-proxy", s.rootPath());
        assertEquals(Duration.ofSeconds(10), s.connectTimeout());
        assertEquals(Duration.ofSeconds(30), s.readTimeout());
        assertEquals(Duration.ofSeconds(15), s.liveChunkTimeout());
        assertEquals(3, s.retryAttempts());
        assertEquals(Duration.ofSeconds(1), s.retryDelay());
        assertFalse(s.retryExponentialBackoff());
        assertEquals(Duration.ofSeconds(30), s.totalTimeout());
        assertEquals(0, s.maxFailoverAttempts());
        assertFalse(s.useStickySession());
        assertEquals(Duration.ofSeconds(10), s.clientTimeout());
        assertEquals(Duration.ofSeconds(15), s.streamTimeout());
        assertTrue(s.sharedUpstream());
    }

    @Test
    void readsTypedValues() {
        Map<String, String> env = Map.of("API_TOKEN", "s3cret", "STREAM_RETRY_DELAY", "1.5",
                "SHARED_UPSTREAM", "false", "ROOT_PATH", "/proxy/v1", "PUBLIC_BASE_URL", "https://tv.example/");
        Settings s = Settings.from(env::get);
        assertEquals("s3cret", s.apiToken().orElseThrow());
        assertEquals(Duration.ofMillis(1500), s.retryDelay());
        assertFalse(s.sharedUpstream());
        assertEquals("/proxy/v1", s.rootPath());
        assertEquals("https://tv.example", s.publicBaseUrl().orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({
            "STREAM_RETRY_ATTEMPTS, many",
            "STREAM_RETRY_ATTEMPTS, -1",
            "STREAM_RETRY_DELAY, soon",
            "USE_STICKY_SESSION, maybe",
            "DEFAULT_CONNECTION_TIMEOUT, 0",
            "ROOT_PATH, no-slash",
            "PUBLIC_BASE_URL, ftp://x",
            "RELAY_BUFFER_BYTES, 10",
            "STORE, postgres",
            "STORE, redis",
            "REDIS_URL, http://127.0.0.1:6379",
            "REDIS_URL, redis:///no-host",
            "STORE_TIMEOUT, 0",
            "STORE_SYNC_INTERVAL, never"
    })
    void invalidValueStopsStartupNamingTheSetting(String name, String value) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> Settings.from(Map.of(name, value)::get));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void theRedisStoreNeedsAUrlAndNeverPrintsItsPassword() {
        Settings s = Settings.from(Map.of("STORE", "redis", "REDIS_URL", "redis://:pw-123@cache.internal:6380/2")::get);
        assertEquals("redis", s.store());
        assertEquals("cache.internal", s.redisUrl().orElseThrow().getHost());
        assertEquals(Duration.ofSeconds(1), s.storeTimeout());
        assertEquals(Duration.ofSeconds(2), s.storeSyncInterval());
        assertFalse(s.toString().contains("pw-123"));
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> Settings.from(Map.of("REDIS_URL", "mysql://u:pw-123@db")::get));
        assertFalse(e.getMessage().contains("pw-123"), e.getMessage());
        assertEquals("memory", Settings.from(name -> null).store());
    }

    @Test
    void theTokenIsNeverPrinted() {
        Settings s = Settings.from(Map.of("API_TOKEN", "s3cret-value")::get);
        assertFalse(s.toString().contains("s3cret-value"));
        InvalidSettingException e = new InvalidSettingException("API_TOKEN", "s3cret-value", "x");
        assertFalse(e.getMessage().contains("s3cret-value"));
    }
}
