package io.sluice.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamKindTest {
    @ParameterizedTest
    @CsvSource({
            "http://p.tv/live/u/p/1.ts, LIVE_TS",
            "http://p.tv/live/u/p/1, LIVE_TS",
            "http://p.tv/ch/index.m3u8?token=a.ts, HLS",
            "http://p.tv/movie/u/p/9.mkv, VOD",
            "http://p.tv/series/u/p/9, VOD",
            "http://p.tv/timeshift/u/p/60/2024-01-01:10-00/1.ts, VOD",
            "http://p.tv/film.MP4, VOD",
            "http://p.tv/whatever, LIVE_TS"
    })
    void detectsFromThePathWithoutTheQuery(String url, StreamKind expected) {
        assertEquals(expected, StreamKind.detect(url));
    }
}
