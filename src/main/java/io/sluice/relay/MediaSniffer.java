package io.sluice.relay;

import io.sluice.upstream.UpstreamFailure;
import io.sluice.upstream.UpstreamFailureException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Looks at the first bytes of a body said to be media: an error page with status 200 must not reach a player. */
final class MediaSniffer {
    private static final byte[] EXTM3U = "#EXTM3U".getBytes(StandardCharsets.US_ASCII);

    private MediaSniffer() {
    }

    static void requireTransportStream(ByteBuffer first) throws UpstreamFailureException {
        int p = first.position();
        // Skip a UTF-8 BOM and whitespace, which text bodies often start with.
        if (first.remaining() >= 3 && (first.get(p) & 0xFF) == 0xEF && (first.get(p + 1) & 0xFF) == 0xBB
                && (first.get(p + 2) & 0xFF) == 0xBF) {
            p += 3;
        }
        while (p < first.limit() && Character.isWhitespace(first.get(p))) {
            p++;
        }
        if (p >= first.limit()) {
            return;
        }
        if (first.get(p) == '<') {
            throw new UpstreamFailureException(UpstreamFailure.notMedia("an HTML or XML page"));
        }
        if (startsWith(first, p, EXTM3U)) {
            throw new UpstreamFailureException(UpstreamFailure.hlsPlaylist());
        }
    }

    private static boolean startsWith(ByteBuffer b, int at, byte[] prefix) {
        if (b.limit() - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b.get(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
