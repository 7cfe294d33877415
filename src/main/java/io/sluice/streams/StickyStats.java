package io.sluice.streams;

public record StickyStats(boolean enabled, String lockedUrl, String lockedAt) {
}
