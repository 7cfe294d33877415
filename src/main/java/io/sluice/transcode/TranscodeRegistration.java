package io.sluice.transcode;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /transcode} (SPEC 12), as {@link TranscodeRequestParser} reads it: the fields of
 * {@code POST /streams} that apply, and the profile (a name from {@code GET /transcode/profiles}, or FFmpeg
 * arguments starting with {@code -}), its variables and the output format ({@code mpegts}).
 */
public record TranscodeRegistration(String url, List<String> failoverUrls, String failoverResolverUrl,
                                    String userAgent, Map<String, String> headers, Map<String, String> metadata,
                                    String profile, Map<String, String> profileVariables, String outputFormat) {
}
