package io.sluice.streams;

import java.util.List;
import java.util.Map;

/**
 * What was registered for a stream, already validated; {@code transcode} is null unless it is transcoded,
 * {@code silence} null unless the request set silence detection for this stream.
 */
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
        StreamKind kind,
        TranscodeSpec transcode,
        SilenceDetection silence) {

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
                useStickySession, sharedUpstream, strictLiveTs, newKind, transcode, silence);
    }

    /** The same sources, transcoded: always one shared process, so always a shared upstream. */
    public StreamSpec transcoded(TranscodeSpec how) {
        return new StreamSpec(url, failoverUrls, failoverResolverUrl, userAgent, headers, metadata,
                useStickySession, true, false, StreamKind.TRANSCODED, how, silence);
    }

    public StreamSpec withMetadata(Map<String, String> newMetadata) {
        return new StreamSpec(url, failoverUrls, failoverResolverUrl, userAgent, headers, newMetadata,
                useStickySession, sharedUpstream, strictLiveTs, kind, transcode, silence);
    }
}
