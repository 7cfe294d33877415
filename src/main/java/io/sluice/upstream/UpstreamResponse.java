package io.sluice.upstream;

import java.net.URI;
import java.util.Map;

/**
 * What an upstream answered, before its body. The final URL after redirects is what playlists resolve against
 * and what a sticky lock records; {@code headers} holds the few response headers a proxy passes on
 * (lowercase names: content-range, accept-ranges, etag, last-modified).
 */
public record UpstreamResponse(int status, String contentType, long contentLength, URI finalUri,
                               Map<String, String> headers) {
    public UpstreamResponse {
        headers = Map.copyOf(headers);
    }

    public String header(String lowercaseName) {
        return headers.get(lowercaseName);
    }
}
