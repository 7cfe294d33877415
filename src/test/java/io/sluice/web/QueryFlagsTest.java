package io.sluice.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryFlagsTest {
    /** M3U Editor (Laravel) sends booleans as 1/0: {@code active_only=1} must mean true. */
    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "True", "yes", "on"})
    void truthy(String v) {
        assertTrue(QueryFlags.parse("active_only", v, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "false", "FALSE", "no", "off"})
    void falsy(String v) {
        assertFalse(QueryFlags.parse("active_only", v, true));
    }

    @Test
    void absentIsTheDefault() {
        assertTrue(QueryFlags.parse("active_only", null, true));
        assertFalse(QueryFlags.parse("force", "", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "2", "-1", "tru"})
    void anythingElseIs422NamingTheParameter(String v) {
        ApiException e = assertThrows(ApiException.class, () -> QueryFlags.parse("active_only", v, true));
        assertEquals(422, e.status());
        assertTrue(e.getMessage().startsWith("active_only"));
    }
}
