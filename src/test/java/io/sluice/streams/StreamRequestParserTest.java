package io.sluice.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.config.Settings;
import io.sluice.web.ApiException;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamRequestParserTest {
    private final StreamRequestParser parser = new StreamRequestParser(Settings.from(n -> null));

    private static JsonValue json(String s) {
        return Json.createReader(new StringReader(s)).readValue();
    }

    @Test
    void fullRegistration() {
        StreamSpec spec = parser.parse(json("""
                {"url":"http://p.tv/live/1.ts","failover_urls":["https://b.tv/1.ts"],
                 "user_agent":"VLC","headers":{"Referer":"http://p.tv/"},
                 "metadata":{"channel_id":42,"name":"News","hd":true,"none":null},
                 "use_sticky_session":true,"shared_upstream":false,"strict_live_ts":true}"""));
        assertEquals("http://p.tv/live/1.ts", spec.url());
        assertEquals(List.of("https://b.tv/1.ts"), spec.failoverUrls());
        assertEquals("VLC", spec.userAgent());
        assertEquals(Map.of("Referer", "http://p.tv/"), spec.headers());
        assertEquals(Map.of("channel_id", "42", "name", "News", "hd", "true"), spec.metadata());
        assertTrue(spec.useStickySession());
        assertFalse(spec.sharedUpstream());
        assertTrue(spec.strictLiveTs());
        assertEquals(StreamKind.LIVE_TS, spec.kind());
        assertNull(spec.failoverResolverUrl());
    }

    @Test
    void defaultsComeFromSettings() {
        StreamSpec spec = parser.parse(json("{\"url\":\"http://p.tv/x.m3u8\"}"));
        assertEquals(Settings.BROWSER_USER_AGENT, spec.userAgent());
        assertTrue(spec.sharedUpstream());
        assertFalse(spec.useStickySession());
        assertEquals(StreamKind.HLS, spec.kind());
    }

    /** The bad-input matrix: each body, and the field its 422 must name. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "[]                                                   | JSON object",
            "\"text\"                                             | JSON object",
            "{}                                                   | url is required",
            "{\"url\":null}                                       | url is required",
            "{\"url\":5}                                          | url must be a string",
            "{\"url\":\"\"}                                       | url must be a non-empty",
            "{\"url\":\"file:///etc/passwd\"}                     | url must use http or https",
            "{\"url\":\"ftp://p.tv/a.ts\"}                        | url must use http or https",
            "{\"url\":\"http:///nohost\"}                         | url must name a host",
            "{\"url\":\"http://p.tv/a b\"}                        | url is not a valid URL",
            "{\"url\":\"/local/file.ts\"}                         | url must use http or https",
            "{\"url\":\"http://p.tv/a\",\"failover_urls\":\"x\"}  | failover_urls must be an array",
            "{\"url\":\"http://p.tv/a\",\"failover_urls\":[1]}    | failover_urls[0] must be a string",
            "{\"url\":\"http://p.tv/a\",\"failover_urls\":[\"http://ok/\",\"gopher://x\"]} | failover_urls[1] must use http",
            "{\"url\":\"http://p.tv/a\",\"failover_resolver_url\":\"file:/x\"} | failover_resolver_url must use http",
            "{\"url\":\"http://p.tv/a\",\"metadata\":{\"a\":{\"b\":1}}} | metadata.a must be a string, number or boolean",
            "{\"url\":\"http://p.tv/a\",\"metadata\":{\"a\":[1]}} | metadata.a must be",
            "{\"url\":\"http://p.tv/a\",\"metadata\":[]}          | metadata must be an object",
            "{\"url\":\"http://p.tv/a\",\"headers\":{\"X\":1}}    | headers.X must be a string",
            "{\"url\":\"http://p.tv/a\",\"headers\":{\"Bad Name\":\"v\"}} | headers.Bad Name is not a valid header name",
            "{\"url\":\"http://p.tv/a\",\"headers\":{\"X\":\"a\\r\\nInjected: 1\"}} | headers.X must be one line",
            "{\"url\":\"http://p.tv/a\",\"use_sticky_session\":\"yes\"} | use_sticky_session must be true or false",
            "{\"url\":\"http://p.tv/a\",\"shared_upstream\":1}    | shared_upstream must be true or false",
            "{\"url\":\"http://p.tv/a\",\"user_agent\":[]}        | user_agent must be a string",
            "{\"url\":\"http://p.tv/a\",\"stream_type\":\"rtmp\"} | stream_type must be one of"
    })
    void badInputIs422NamingTheField(String body, String expected) {
        ApiException e = assertThrows(ApiException.class, () -> parser.parse(json(body)));
        assertEquals(422, e.status());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** M3U Editor sends its global silence settings with every stream (SPEC 16): stored and shown, never refused. */
    @Test
    void theEditorsSilenceFieldsAreKept() {
        StreamSpec spec = parser.parse(json("""
                {"url":"http://p.tv/live/1.ts","enable_silence_detection":true,"silence_threshold_db":-50.0,
                 "silence_duration":3.0,"silence_check_interval":10.0,"silence_failover_threshold":3,
                 "silence_monitoring_grace_period":15.0}"""));
        assertEquals(new SilenceDetection(true, -50.0, 3.0, 10.0, 3, 15.0), spec.silence());
        assertNull(parser.parse(json("{\"url\":\"http://p.tv/live/1.ts\"}")).silence());
        assertEquals(new SilenceDetection(null, -40.0, null, null, null, null),
                parser.parse(json("{\"url\":\"http://p.tv/1.ts\",\"silence_threshold_db\":\"-40\"}")).silence());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"silence_threshold_db\":\"loud\"|silence_threshold_db",
            "\"silence_threshold_db\":5|silence_threshold_db",
            "\"silence_failover_threshold\":2.5|silence_failover_threshold",
            "\"silence_duration\":[]|silence_duration",
            "\"enable_silence_detection\":\"yes\"|enable_silence_detection"})
    void badSilenceFieldsAre422NamingTheField(String field, String name) {
        ApiException e = assertThrows(ApiException.class,
                () -> parser.parse(json("{\"url\":\"http://p.tv/1.ts\"," + field + "}")));
        assertEquals(422, e.status());
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }

    /** The editor sends a header it has no value for as null: no header, not a refused stream. */
    @Test
    void aNullHeaderValueIsLeftOut() {
        StreamSpec spec = parser.parse(json("""
                {"url":"http://p.tv/live/1.ts","headers":{"Referer":"http://p.tv/","Cookie":null}}"""));
        assertEquals(Map.of("Referer", "http://p.tv/"), spec.headers());
    }
}
