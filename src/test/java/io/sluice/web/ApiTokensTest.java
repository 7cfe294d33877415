package io.sluice.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApiTokensTest {
    @Test
    void matchesOnlyTheExactToken() {
        assertTrue(ApiTokens.matches("abc", "abc"));
        assertFalse(ApiTokens.matches("abc", "abd"));
        assertFalse(ApiTokens.matches("abc", "abcd"));
        assertFalse(ApiTokens.matches("abc", ""));
        assertFalse(ApiTokens.matches("abc", null));
    }
}
