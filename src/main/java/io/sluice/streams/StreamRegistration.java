package io.sluice.streams;

import java.util.List;
import java.util.Map;

/** The body of {@code POST /streams} (SPEC 3.2), as {@link StreamRequestParser} reads it. */
public record StreamRegistration(String url, List<String> failoverUrls, String failoverResolverUrl, String userAgent,
                                 Map<String, String> headers, Map<String, String> metadata, Boolean useStickySession,
                                 Boolean sharedUpstream, Boolean strictLiveTs, String streamType) {
}
