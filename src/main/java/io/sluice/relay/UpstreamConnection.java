package io.sluice.relay;

import io.sluice.transcode.AudioConform;
import io.sluice.upstream.BodySink;
import io.sluice.upstream.Feed;
import io.sluice.upstream.MediaTypes;
import io.sluice.upstream.UpstreamFailure;
import io.sluice.upstream.UpstreamFailureException;
import io.sluice.upstream.UpstreamResponse;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * One upstream exchange of a relay (HTTP or a transcoder's output): checks the response head, tracks when data
 * last came, and hands the body to its relay. The relay ignores callbacks of a connection that is no longer
 * its current one, so a cancelled exchange's last bytes never reach players.
 */
final class UpstreamConnection implements BodySink {

    /** What the relay does with this connection's events. */
    interface Listener {
        void responded(UpstreamConnection c, URI finalUri);

        /** The source's bytes (on their way to its audio conform, when it has one). */
        void data(UpstreamConnection c, ByteBuffer data) throws UpstreamFailureException;

        /** The audio conform's output: what players get of this source. */
        void conformed(UpstreamConnection c, ByteBuffer data) throws UpstreamFailureException;

        /** The audio conform's output ended, after the source's body did. */
        void conformEnded(UpstreamConnection c);

        long capacity(UpstreamConnection c);

        void ended(UpstreamConnection c);

        void failed(UpstreamConnection c, UpstreamFailure failure);
    }

    final URI uri;
    /** The ring offset of this connection's first byte (a packet start); set again when a standby is promoted. */
    volatile long start;
    /** Set while recovering: no first data by then is a failure of this connection (0: none). */
    volatile long firstDataDeadlineNanos;
    /** A standby's bytes before it became current (guarded by the relay's lock); null otherwise. */
    java.io.ByteArrayOutputStream early;
    /** Whole packets of what reaches the relay: the source's bytes, or its conform's output once there is one. */
    PacketAssembler assembler = new PacketAssembler();
    /**
     * Set when this source's audio is conformed, under the relay's lock, where the source's bytes and end are
     * routed to it too; volatile for the window ({@link #capacity}) and the failure's short way.
     */
    private volatile AudioConform conform;
    private final Listener listener;
    /** Set before the feed can call back. */
    private volatile Feed feed;
    private volatile boolean responded;
    private volatile long lastDataNanos = System.nanoTime();
    /** Guarded by the relay's lock. */
    boolean sawData;
    /** Its source's media was noted in the stream's health (guarded by the relay's lock). */
    boolean healthNoted;
    private volatile String contentType = "video/mp2t";

    UpstreamConnection(URI uri, long start, Listener listener) {
        this.uri = uri;
        this.start = start;
        this.listener = listener;
    }

    void feed(Feed f) {
        this.feed = f;
    }

    Feed feed() {
        return feed;
    }

    /**
     * From now on this source's bytes go through {@code a} (the relay routes them), whose output reaches the
     * relay as this connection's; stopping the connection stops both. Under the relay's lock. The source's
     * unfinished packet is left behind with its assembler.
     */
    void conformThrough(AudioConform a) {
        assembler = new PacketAssembler();
        conform = a;
        feed = a;
    }

    /** The audio conform this source's bytes go through, or null. */
    AudioConform conform() {
        return conform;
    }

    /** Ends the audio conform, if any, and lets go of the source with it (no callback follows). */
    void stopConform() {
        AudioConform a = conform;
        if (a != null) {
            a.stop();
        }
    }

    /** Where a conform's output goes: to the relay, as this connection's. */
    BodySink conformedOutput() {
        return new BodySink() {
            @Override
            public void onResponse(UpstreamResponse response) {
                // the source's own head was checked already
            }

            @Override
            public void onData(ByteBuffer data) throws UpstreamFailureException {
                listener.conformed(UpstreamConnection.this, data);
            }

            @Override
            public long capacity() {
                return listener.capacity(UpstreamConnection.this);
            }

            @Override
            public void onEnd() {
                listener.conformEnded(UpstreamConnection.this);
            }

            @Override
            public void onFailure(UpstreamFailure failure) {
                listener.failed(UpstreamConnection.this, failure);
            }
        };
    }

    boolean responded() {
        return responded;
    }

    String contentType() {
        return contentType;
    }

    void dataArrived(long nowNanos) {
        lastDataNanos = nowNanos;
    }

    /**
     * Silent longer than {@code timeoutNanos}? Our own pause (the ring is full) is not the upstream's silence, so
     * a paused feed restarts the count.
     */
    boolean silentLongerThan(long timeoutNanos, long nowNanos) {
        if (feed.isPaused()) {
            lastDataNanos = nowNanos;
        }
        return nowNanos - lastDataNanos > timeoutNanos;
    }

    void stop() {
        feed.stop();
    }

    void abort(UpstreamFailure f) {
        feed.stop();
        listener.failed(this, f);
    }

    /** The response head as a live TS source: an error status, a page or script, or a playlist is a failure. */
    static String liveContentType(UpstreamResponse r) throws UpstreamFailureException {
        if (r.status() >= 400) {
            throw new UpstreamFailureException(UpstreamFailure.status(r.status()));
        }
        String type = r.contentType() == null ? "" : r.contentType().toLowerCase(Locale.ROOT);
        if (type.contains("mpegurl")) {
            throw new UpstreamFailureException(UpstreamFailure.hlsPlaylist());
        }
        if (MediaTypes.couldRunScript(r.contentType())) {
            throw new UpstreamFailureException(MediaTypes.scriptable(r.contentType()));
        }
        return type.startsWith("video/") || type.startsWith("audio/") ? r.contentType() : null;
    }

    @Override
    public void onResponse(UpstreamResponse r) throws UpstreamFailureException {
        String type = liveContentType(r);
        if (type != null) {
            contentType = type;
        }
        listener.responded(this, r.finalUri());
        lastDataNanos = System.nanoTime();
        responded = true;
    }

    @Override
    public void onData(ByteBuffer data) throws UpstreamFailureException {
        listener.data(this, data);
    }

    @Override
    public long capacity() {
        AudioConform a = conform;
        return a != null ? a.inputRoom() : listener.capacity(this);
    }

    @Override
    public void onEnd() {
        listener.ended(this);
    }

    @Override
    public void onFailure(UpstreamFailure failure) {
        AudioConform a = conform;
        if (a != null) {
            a.sourceFailed(); // FFmpeg has nothing more to read, and the source is gone already
        }
        listener.failed(this, failure);
    }
}
