package io.sluice.upstream;

import java.net.URI;
import java.util.Map;

/**
 * One request to a provider: the URL, the headers the stream was registered with, the method (GET or HEAD)
 * and, for VOD and segments, the byte range the player asked for ({@code null} for none).
 */
public record UpstreamRequest(URI uri, String userAgent, Map<String, String> headers, String method, String range) {
    public UpstreamRequest {
        headers = Map.copyOf(headers);
    }

    public UpstreamRequest(URI uri, String userAgent, Map<String, String> headers) {
        this(uri, userAgent, headers, "GET", null);
    }

    public UpstreamRequest withRange(String newRange) {
        return new UpstreamRequest(uri, userAgent, headers, method, newRange);
    }

    public UpstreamRequest withUri(URI newUri) {
        return new UpstreamRequest(newUri, userAgent, headers, method, range);
    }
}
