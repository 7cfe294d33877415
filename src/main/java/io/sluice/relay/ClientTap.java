package io.sluice.relay;

import io.sluice.streams.Client;
import io.sluice.streams.Stream;
import io.sluice.support.AsyncPlayerResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One player connection reading a {@link LiveRelay}'s ring with non-blocking writes.
 *
 * <p>All {@code isReady}/{@code write} calls happen under this object's lock: they come from the container
 * ({@code onWritePossible}) and from the upstream's I/O thread (new data), and the servlet output stream is not
 * thread-safe. This lock is never held while taking the relay's lock, so the relay may lock taps.
 */
final class ClientTap extends AsyncPlayerResponse {
    /** One write at most this big: the container copies what the socket does not take, per blocked player. */
    private static final int MAX_WRITE = 32 * 1024;
    /** A body with no three aligned sync bytes in this much data is not TS: pass it through unaligned. */
    private static final int SYNC_GIVE_UP = 64 * 1024;

    private final AsyncContext async;
    private final HttpServletResponse response;
    private final ServletOutputStream out;
    private final Stream stream;
    private final Client client;
    private final LiveRelay relay;
    private final Runnable onFinish;
    private final String playlistLocation;
    private final AtomicBoolean finished = new AtomicBoolean();

    // Guarded by this.
    private TsRing ring;
    private boolean needsSync;
    private long stopAt = Long.MAX_VALUE;
    /** A packet start in this player's output so far, or -1 when not known (not yet synced, or not TS). */
    private long packetBase = -1;
    /** The rest of the packet a skipped player was in the middle of: it gets whole packets, then the jump. */
    private final byte[] unfinishedPacket = new byte[TsRing.PACKET];
    private int unfinishedLength;

    private final long createdNanos = System.nanoTime();
    private boolean firstByteSeen;
    private volatile boolean started;
    private volatile boolean done;
    private volatile long pos;
    /** When the container last refused a write (isReady false); 0 while writes are possible. */
    private volatile long blockedSinceNanos;

    ClientTap(AsyncContext async, HttpServletResponse response, ServletOutputStream out, Stream stream,
              Client client, LiveRelay relay, String playlistLocation, Runnable onFinish) {
        this.async = async;
        this.response = response;
        this.out = out;
        this.stream = stream;
        this.client = client;
        this.relay = relay;
        this.onFinish = onFinish;
        this.playlistLocation = playlistLocation;
    }

    String clientId() {
        return client.clientId();
    }

    boolean isStarted() {
        return started;
    }

    boolean isDone() {
        return done;
    }

    long position() {
        return pos;
    }

    /** A tap still holds the upstream back only while it is writing; one blocked longer than the grace does not. */
    boolean holdsUpstream(long nowNanos, long graceNanos) {
        long since = blockedSinceNanos;
        return started && !done && (since == 0 || nowNanos - since <= graceNanos);
    }

    /** Starts the player's 200 response at {@code joinAt}; with {@code sync} it first seeks a packet boundary. */
    void start(TsRing ringToRead, long joinAt, boolean sync, String contentType) {
        synchronized (this) {
            if (started || done) {
                return;
            }
            ring = ringToRead;
            pos = joinAt;
            needsSync = sync;
            packetBase = sync ? -1 : joinAt; // a connection's first byte starts a packet
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(contentType);
            response.setHeader("Cache-Control", "no-cache, no-store");
            response.setHeader("Access-Control-Allow-Origin", "*");
            started = true;
        }
        drain();
    }

    /** Answers a player that has received nothing yet with an error status and a JSON detail. */
    void fail(int status, String detail) {
        synchronized (this) {
            if (started || done) {
                return;
            }
            prepareError(response, status, detail);
            started = true;
        }
        drain();
    }

    /** The stream turned out to be HLS: the player is sent to its playlist (players follow redirects). */
    void redirectToPlaylist() {
        synchronized (this) {
            if (started || done) {
                return;
            }
            prepareError(response, HttpServletResponse.SC_FOUND, "This stream is HLS: " + playlistLocation);
            response.setHeader("Location", playlistLocation);
            started = true;
        }
        drain();
    }

    /** The upstream ended at {@code offset}: the player gets everything before it, then a clean end. */
    void stopAt(long offset) {
        synchronized (this) {
            stopAt = Math.min(stopAt, offset);
        }
        drain();
    }

    /** Moves a player that fell behind the ring forward; called by the relay before it overwrites. */
    void skipTo(long target) {
        synchronized (this) {
            if (pos >= target) {
                return;
            }
            if (packetBase >= 0 && !needsSync) {
                // Keep the tail of the packet already half written, before the ring overwrites it.
                int into = (int) Math.floorMod(pos - packetBase, (long) TsRing.PACKET);
                if (into != 0) {
                    int len = (int) Math.min(TsRing.PACKET - into, ring.head() - pos);
                    for (int i = 0; i < len; i++) {
                        unfinishedPacket[i] = ring.byteAt(pos + i);
                    }
                    unfinishedLength = len;
                }
            }
            pos = target;
            needsSync = true;
            packetBase = -1;
        }
    }

    /** Ends the player's response now (stream deleted or shut down). */
    void close(String detail) {
        fail(410, detail);
        finish();
    }

    @Override
    public void onWritePossible() {
        drain();
    }

    /** Writes what the ring holds for this player while the container accepts bytes without blocking. */
    void drain() {
        boolean advanced = false;
        boolean complete = false;
        synchronized (this) {
            if (done || !started) {
                return;
            }
            try {
                if (hasPendingError()) {
                    complete = writePendingError(out);
                } else {
                    while (true) {
                        if (!out.isReady()) {
                            // The container calls onWritePossible when this write has gone out.
                            if (blockedSinceNanos == 0) {
                                blockedSinceNanos = System.nanoTime();
                            }
                            break;
                        }
                        blockedSinceNanos = 0;
                        if (unfinishedLength > 0) {
                            out.write(unfinishedPacket, 0, unfinishedLength);
                            unfinishedLength = 0;
                            continue;
                        }
                        long head = ring.head();
                        if (needsSync && !seekPacketBoundary(head)) {
                            break;
                        }
                        long limit = Math.min(head, stopAt);
                        if (pos >= limit) {
                            complete = pos >= stopAt;
                            break;
                        }
                        int n = ring.contiguous(pos, limit, MAX_WRITE);
                        out.write(ring.array(), ring.indexOf(pos), n);
                        if (!firstByteSeen) {
                            firstByteSeen = true;
                            relay.firstByte(System.nanoTime() - createdNanos);
                        }
                        pos += n;
                        stream.served(client, n);
                        advanced = true;
                    }
                }
            } catch (IOException | RuntimeException e) {
                complete = true; // the player went away mid-write
            }
        }
        if (complete) {
            finish();
        } else if (advanced) {
            relay.readerAdvanced();
        }
    }

    private boolean seekPacketBoundary(long head) {
        long p = ring.syncPoint(pos);
        if (p >= 0) {
            pos = p;
            packetBase = p;
            needsSync = false;
            return true;
        }
        if (head - pos > SYNC_GIVE_UP) {
            needsSync = false; // not TS after all: pass bytes through as they come
            return true;
        }
        return false;
    }

    @Override
    protected void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        done = true;
        complete(async);
        relay.detach(this);
        onFinish.run();
    }
}
