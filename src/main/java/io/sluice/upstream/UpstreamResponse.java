package io.sluice.upstream;

import java.net.URI;

/** What an upstream answered, before its body: the final URL after redirects is what a sticky lock records. */
public record UpstreamResponse(int status, String contentType, long contentLength, URI finalUri) {
}
