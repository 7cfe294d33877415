package io.sluice.streams;

/**
 * The last media health verdict on one source of a stream (issue 15): {@code healthy} once its packets showed a
 * programme with media, or the reason it was failed for ({@code null_only}, {@code no_media}, {@code pcr_stalled},
 * {@code video_missing}, {@code playlist_stale}).
 */
public record SourceHealth(String verdict, String at) {
}
