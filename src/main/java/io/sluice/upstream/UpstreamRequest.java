package io.sluice.upstream;

import java.net.URI;
import java.util.Map;

/** One request to a provider: the URL and the headers the stream was registered with. */
public record UpstreamRequest(URI uri, String userAgent, Map<String, String> headers) {
    public UpstreamRequest {
        headers = Map.copyOf(headers);
    }
}
