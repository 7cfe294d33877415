package io.sluice.streams;

import java.util.List;
import java.util.Map;

/** m3u-proxy's answer to {@code POST /streams}. */
public record StreamCreated(String streamId, String primaryUrl, List<String> failoverUrls, String userAgent,
                            String streamType, String streamEndpoint, String playlistUrl, String directUrl,
                            String message, Map<String, String> metadata, SilenceDetection silenceDetection) {
}
