package io.sluice.streams;

import java.util.List;
import java.util.Map;

/** What was registered for a stream, already validated. */
public record StreamSpec(
        String url,
        List<String> failoverUrls,
        String failoverResolverUrl,
        String userAgent,
        Map<String, String> headers,
        Map<String, String> metadata,
        boolean useStickySession,
        boolean sharedUpstream,
        boolean strictLiveTs,
        StreamKind kind) {

    public StreamSpec {
        failoverUrls = List.copyOf(failoverUrls);
        headers = Map.copyOf(headers);
        metadata = Map.copyOf(metadata);
    }

    public String id() {
        return StreamIds.of(url);
    }

    public StreamSpec withKind(StreamKind newKind) {
        return new StreamSpec(url, failoverUrls, failoverResolverUrl, userAgent, headers, metadata,
                useStickySession, sharedUpstream, strictLiveTs, newKind);
    }

    public StreamSpec withMetadata(Map<String, String> newMetadata) {
        return new StreamSpec(url, failoverUrls, failoverResolverUrl, userAgent, headers, newMetadata,
                useStickySession, sharedUpstream, strictLiveTs, kind);
    }
}
