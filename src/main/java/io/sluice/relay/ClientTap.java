package io.sluice.relay;

import io.sluice.web.ServletProblems;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * One player reading a {@link LiveRelay}'s ring through a {@link PlayerOutput} with non-blocking writes.
 *
 * <p>Steady state: a {@link Delivery} round calls {@link #deliver()}, which writes what the ring gained since the
 * last round in one write. The container's thread writes only after the output was full ({@link #writePossible});
 * the upstream's thread only to start a player, to end it, or to move it when the ring overwrites its place.
 * All {@code isReady}/{@code write} calls happen under this object's lock because those threads may meet and the
 * output is not thread-safe; in steady state only the round takes it, so nobody waits. This lock is never held
 * while taking the relay's lock, so the relay may lock taps. The ring itself is read without a lock.
 */
final class ClientTap {
    /** What a tap tells the relay it reads. */
    interface Owner {
        /** The tap wrote bytes: the upstream may have room again. */
        void advanced();

        /** The tap's response ended; it reads no more. */
        void left(ClientTap tap);

        void firstByte(long nanos);

        /** The tap wrote a large backlog at once: it reads faster than rounds feed it (see Delivery#sprint). */
        void catchingUp(ClientTap tap);
    }

    /**
     * One write at most this big, or the output's own {@link PlayerOutput#maxWrite} when smaller (the servlet
     * output's is its container buffer's, about 8 KiB: see {@link ServletPlayerOutput}).
     */
    static final int MAX_WRITE = 32 * 1024;
    /**
     * One drain that writes this much was behind by more than a round of any live stream holds (128 KiB in 32 ms
     * is 32 Mbit/s): the player reads faster than the rounds feed it.
     */
    static final int CATCH_UP = 128 * 1024;
    /** A body with no three aligned sync bytes in this much data is not TS: pass it through unaligned. */
    private static final int SYNC_GIVE_UP = 64 * 1024;

    private final PlayerOutput out;
    private final String clientId;
    private final LongConsumer served;
    private final Owner relay;
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
    /** An error answer's body waiting to be written, or null. */
    private byte[] errorBody;

    private final long createdNanos = System.nanoTime();
    private boolean firstByteSeen;
    private volatile boolean started;
    private volatile boolean done;
    private volatile long pos;
    /**
     * When the output refused a write (isReady false) and so owes this tap a {@link #writePossible} call; 0 when
     * nothing is owed. Set and cleared only under this tap's lock, together with the isReady call or the callback
     * it stands for, so a callback can never clear it before the refusal it answers has set it. Volatile only for
     * {@link #holdsUpstream}, which reads it without the lock.
     */
    private volatile long blockedSinceNanos;

    /**
     * @param served     told every byte count written (the player's statistics)
     * @param onFinish   run once when the response has ended, after the relay was told
     */
    ClientTap(PlayerOutput out, String clientId, LongConsumer served, Owner relay, String playlistLocation,
              Runnable onFinish) {
        this.out = out;
        this.clientId = clientId;
        this.served = served;
        this.relay = relay;
        this.onFinish = onFinish;
        this.playlistLocation = playlistLocation;
    }

    String clientId() {
        return clientId;
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
        return Pacing.holdsUpstream(started && !done, blockedSinceNanos, nowNanos, graceNanos);
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
            out.beginStream(contentType);
            started = true;
        }
        drain(false, false, maxWrite());
    }

    /** Answers a player that has received nothing yet with an error status and a JSON detail. */
    void fail(int status, String detail) {
        answer(status, detail, null);
    }

    /** The stream turned out to be HLS: the player is sent to its playlist (players follow redirects). */
    void redirectToPlaylist() {
        answer(302, "This stream is HLS: " + playlistLocation, playlistLocation);
    }

    private void answer(int status, String detail, String location) {
        synchronized (this) {
            if (started || done) {
                return;
            }
            errorBody = ServletProblems.body(detail);
            out.beginError(status, errorBody.length, location);
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

    /**
     * The output takes bytes again after refusing them: the owed callback. It may come while a round whose write
     * was just refused still holds the lock; it then waits for that round, so the mark the round sets is the one
     * this call clears.
     */
    void writePossible() {
        drain(true, false, maxWrite());
    }

    /**
     * A delivery round: writes what the ring gained since the last round. A player whose output is full waits for
     * {@link #writePossible} instead: asking the output again would only register the same interest again.
     */
    long deliver() {
        if (started && !done && blockedSinceNanos == 0) { // a cheap look first; decided under the lock
            return drain(false, true, Long.MAX_VALUE);
        }
        return 0;
    }

    /** Writes what the ring holds for this player while the output accepts bytes without blocking. */
    void drain() {
        drain(false, false, Long.MAX_VALUE);
    }

    /**
     * Returns the bytes of the stream written. A caller that is not a delivery thread (the container's, for a
     * player's first bytes or after a full output) writes at most {@code budget} and leaves the rest to the
     * player's lane (a sprint): a joiner's burst of half a ring on a container thread would keep that thread
     * for milliseconds, and a burst of joiners would grow the container's pool by as many threads.
     */
    private long drain(boolean callback, boolean round, long budget) {
        long written = 0;
        boolean complete = false;
        boolean more = false;
        synchronized (this) {
            if (callback) {
                blockedSinceNanos = 0;
            }
            if (done || !started || (round && blockedSinceNanos != 0)) {
                return 0;
            }
            try {
                if (errorBody != null) {
                    if (!out.isReady()) {
                        refused();
                    } else {
                        blockedSinceNanos = 0;
                        out.write(errorBody, 0, errorBody.length);
                        errorBody = null;
                        complete = true;
                    }
                } else {
                    while (true) {
                        long limit = 0;
                        if (unfinishedLength == 0) {
                            long head = ring.head();
                            if (needsSync && !seekPacketBoundary(head)) {
                                break;
                            }
                            limit = Math.min(head, stopAt);
                            if (pos >= limit) {
                                complete = pos >= stopAt;
                                break; // nothing new: the output is not even asked
                            }
                        }
                        if (written >= budget) {
                            more = true;
                            break;
                        }
                        if (!out.isReady()) {
                            refused();
                            break;
                        }
                        blockedSinceNanos = 0;
                        if (unfinishedLength > 0) {
                            out.write(unfinishedPacket, 0, unfinishedLength);
                            unfinishedLength = 0;
                            continue;
                        }
                        int n = ring.contiguous(pos, limit, maxWrite());
                        out.write(ring.array(), ring.indexOf(pos), n);
                        if (!firstByteSeen) {
                            firstByteSeen = true;
                            relay.firstByte(System.nanoTime() - createdNanos);
                        }
                        pos += n;
                        served.accept(n);
                        written += n;
                    }
                }
            } catch (IOException | RuntimeException e) {
                complete = true; // the player went away mid-write
            }
        }
        if (complete) {
            finish();
        } else if (written > 0) {
            relay.advanced();
            if (more || written >= CATCH_UP) {
                relay.catchingUp(this);
            }
        }
        return written;
    }

    /** The output refused: it calls {@link #writePossible} when the pending write has gone out. Under the lock. */
    private void refused() {
        if (blockedSinceNanos == 0) {
            long now = System.nanoTime();
            blockedSinceNanos = now == 0 ? 1 : now; // 0 means nothing is owed
        }
    }

    private int maxWrite() {
        return Math.min(MAX_WRITE, out.maxWrite());
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

    /** Ends the response and lets the relay go on without this player; once, whatever ended it. */
    void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            // Under the lock that every write holds, after marking done (which writes check first): a write on
            // another thread finishes before the response completes, and none starts after, so no byte is ever
            // written into a response the container has completed and may already be reusing.
            done = true;
            out.complete();
        }
        relay.left(this);
        onFinish.run();
    }
}
