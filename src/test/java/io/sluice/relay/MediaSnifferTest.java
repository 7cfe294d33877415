package io.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.testing.LiveTs;
import io.sluice.upstream.UpstreamFailureException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MediaSnifferTest {
    @Test
    void refusesHtmlAndPlaylistsServedAsVideo() {
        for (String body : new String[]{"<!DOCTYPE html><html>", "\n  <html>", "\uFEFF<html>", "#EXTM3U\n#EXT-X-VERSION:3"}) {
            ByteBuffer b = ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8));
            assertThrows(UpstreamFailureException.class, () -> MediaSniffer.requireTransportStream(b), body);
        }
    }

    @Test
    void acceptsTransportStream() {
        assertDoesNotThrow(() -> MediaSniffer.requireTransportStream(ByteBuffer.wrap(LiveTs.packets(0, 2))));
    }
}
