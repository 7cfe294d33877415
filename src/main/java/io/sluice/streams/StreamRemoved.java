package io.sluice.streams;

/**
 * A stream left the registry: its owners (relays, playlists, sticky locks) let go of it. Control for the rooms
 * that serve it, not a notification: observers, webhooks and logs learn of stops from {@code StreamStopped}, which
 * also covers periods that end while the stream stays registered.
 */
public record StreamRemoved(String streamId) {
}
