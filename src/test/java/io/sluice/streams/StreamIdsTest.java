package io.sluice.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StreamIdsTest {
    @Test
    void isTheLowercaseHexMd5OfTheUrl() {
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", StreamIds.of(""));
        assertEquals("9e107d9d372bb6826bd81d3542a419d6",
                StreamIds.of("The quick brown fox jumps over the lazy dog"));
    }
}
