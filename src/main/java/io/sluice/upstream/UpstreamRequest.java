package io.sluice.upstream;

import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One request to a provider: the URL, the headers the stream was registered with, the method (GET or HEAD)
 * and, for VOD and segments, the byte range the player asked for ({@code null} for none). {@code headerOrigins}
 * are the origins (see {@link Origins}) the headers may be sent to, on the first hop and after redirects.
 */
public record UpstreamRequest(URI uri, String userAgent, Map<String, String> headers, String method, String range,
                              Set<String> headerOrigins) {
    public UpstreamRequest {
        headers = Map.copyOf(headers);
        headerOrigins = Set.copyOf(headerOrigins);
    }

    /** A request to a source of the stream: its headers go to that URL's origin only. */
    public UpstreamRequest(URI uri, String userAgent, Map<String, String> headers, String method, String range) {
        this(uri, userAgent, headers, method, range, originOf(uri));
    }

    public UpstreamRequest(URI uri, String userAgent, Map<String, String> headers) {
        this(uri, userAgent, headers, "GET", null);
    }

    public UpstreamRequest withRange(String newRange) {
        return new UpstreamRequest(uri, userAgent, headers, method, newRange, headerOrigins);
    }

    /** The same request to another source (a failover): that source is one of the stream's own too. */
    public UpstreamRequest withUri(URI newUri) {
        Set<String> origins = new HashSet<>(headerOrigins);
        origins.addAll(originOf(newUri));
        return new UpstreamRequest(newUri, userAgent, headers, method, range, origins);
    }

    /** The stream's headers may go to these origins (the stream's own hosts), not to this URL's by default. */
    public UpstreamRequest withHeaderOrigins(Set<String> origins) {
        return new UpstreamRequest(uri, userAgent, headers, method, range, origins);
    }

    private static Set<String> originOf(URI uri) {
        String o = Origins.of(uri);
        return o == null ? Set.of() : Set.of(o);
    }
}
