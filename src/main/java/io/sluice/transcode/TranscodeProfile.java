package io.sluice.transcode;

/**
 * A named FFmpeg profile: the arguments between input and output, with {@code {variable}} and
 * {@code {variable|default}} placeholders (m3u-proxy's template form).
 */
public record TranscodeProfile(String name, String description, String parameters) {
}
