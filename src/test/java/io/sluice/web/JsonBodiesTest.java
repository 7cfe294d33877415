package io.sluice.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Issue 13.8: malformed JSON bodies are a 400/422 with a detail, never an exception the mappers call internal. */
class JsonBodiesTest {
    private static JsonValue read(String text) {
        return JsonBodies.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static int statusOf(String text) {
        return assertThrows(ApiException.class, () -> read(text)).status();
    }

    @Test
    void nestingDeeperThanTheLimitIsABadRequest() {
        assertEquals(400, statusOf("[".repeat(1100) + "]".repeat(1100)));
        assertEquals(400, statusOf("{\"a\":".repeat(5000) + "1" + "}".repeat(5000)));
        assertEquals(JsonValue.ValueType.ARRAY, read("[".repeat(10) + "]".repeat(10)).getValueType());
    }

    @Test
    void hugeNumbersAreRefusedBeforeAnyoneConvertsThem() {
        assertEquals(422, statusOf("{\"timeout\":" + "9".repeat(1100) + "}"));
        assertEquals(422, statusOf("{\"timeout\":0." + "1".repeat(1100) + "}"));
        // A short text with a huge exponent passes the text check; its readers must bound it (see the parsers).
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> read("{\"timeout\":1e999999999}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} x", "{}{}", "{\"url\":\"http://a/\"} trailing", "[1] ]", "{}\u0000", "\"a\" \"b\""})
    void textAfterTheValueIsABadRequest(String text) {
        assertEquals(400, statusOf(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"a\":}", "nul", "{'a':1}", "\u00ff\u00fe"})
    void brokenTextIsABadRequest(String text) {
        assertEquals(400, statusOf(text));
    }

    @Test
    void ordinaryBodiesStillRead() {
        assertEquals("http://a/", read(" {\"url\":\"http://a/\",\"n\":[1,2.5,-3e2]} \n").asJsonObject().getString("url"));
    }
}
