package io.sluice.relay;

import io.sluice.support.DaemonThreads;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes to players in rounds, on a few threads of our own: every round, each tap writes what the ring gained
 * since the last one in one large write. Writing per upstream chunk instead (hundreds of small writes per player
 * per second, from the upstream's I/O thread) costs system calls and wake-ups per player; a round of a few tens
 * of milliseconds is invisible to players that buffer seconds. The container's threads only write for a player
 * whose output was full ({@code onWritePossible}), so their number does not follow the players'.
 */
final class Delivery implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Delivery.class.getName());

    /** One round's worth of a 4 Mbit/s stream is 16 KB: one write of at most {@link ClientTap#MAX_WRITE}. */
    static final long ROUND_MILLIS = 32;
    /** How often a player that reads faster than any live stream is written to while it keeps up that pace. */
    static final long SPRINT_MILLIS = 1;
    /**
     * A sprint's drain must write this much to keep the player sprinting: 16 KB a millisecond is 128 Mbit/s, far
     * above a live stream's rate, so a player on a paced stream returns to the rounds after one sprint.
     */
    static final long SPRINT_KEEP = 16 * 1024;

    private final Lane[] lanes;
    private final AtomicInteger next = new AtomicInteger();

    Delivery(int threads, long roundMillis) {
        this(threads, roundMillis, SPRINT_MILLIS);
    }

    Delivery(int threads, long roundMillis, long sprintMillis) {
        lanes = new Lane[threads];
        for (int i = 0; i < threads; i++) {
            lanes[i] = new Lane("sluice-delivery-" + i, roundMillis, sprintMillis);
        }
    }

    /** Threads for the rounds: one per core, at most four (writing is mostly the kernel's copying). */
    static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    void add(ClientTap tap) {
        lanes[Math.floorMod(next.getAndIncrement(), lanes.length)].taps.add(tap);
    }

    void remove(ClientTap tap) {
        for (Lane l : lanes) {
            l.sprinters.remove(tap);
        }
        for (Lane l : lanes) {
            if (l.taps.remove(tap)) {
                return;
            }
        }
    }

    /**
     * A player just wrote a large backlog ({@link ClientTap#CATCH_UP}): it reads faster than the rounds feed it
     * (a fast reader, or one catching up), and the upstream may be waiting for it to make room in the ring. It
     * is written to every {@link #SPRINT_MILLIS} instead of every round while each of those writes at least
     * {@link #SPRINT_KEEP}; a reader of a live stream falls back to the rounds after one.
     */
    void sprint(ClientTap tap) {
        lanes[Math.floorMod(System.identityHashCode(tap), lanes.length)].sprint(tap);
    }

    int sprinting() {
        int n = 0;
        for (Lane l : lanes) {
            n += l.sprinters.size();
        }
        return n;
    }

    int players() {
        int n = 0;
        for (Lane l : lanes) {
            n += l.taps.size();
        }
        return n;
    }

    @Override
    public void close() {
        for (Lane l : lanes) {
            l.timer.shutdownNow();
        }
    }

    private static final class Lane {
        final Set<ClientTap> taps = ConcurrentHashMap.newKeySet();
        final Set<ClientTap> sprinters = ConcurrentHashMap.newKeySet();
        final AtomicBoolean sprintDue = new AtomicBoolean();
        final ScheduledExecutorService timer;
        final long sprintMillis;

        Lane(String name, long roundMillis, long sprintMillis) {
            this.sprintMillis = sprintMillis;
            timer = DaemonThreads.timer(name);
            timer.scheduleAtFixedRate(this::round, roundMillis, roundMillis, TimeUnit.MILLISECONDS);
        }

        void sprint(ClientTap tap) {
            if (sprinters.add(tap)) {
                scheduleSprint();
            }
        }

        private void scheduleSprint() {
            if (!sprinters.isEmpty() && sprintDue.compareAndSet(false, true)) {
                try {
                    timer.schedule(this::sprintRound, sprintMillis, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closed) {
                    sprintDue.set(false);
                }
            }
        }

        private void sprintRound() {
            sprintDue.set(false);
            for (ClientTap t : sprinters) {
                try {
                    if (t.deliver() < SPRINT_KEEP) {
                        sprinters.remove(t); // a large write puts it back (ClientTap.CATCH_UP)
                    }
                } catch (RuntimeException e) {
                    sprinters.remove(t);
                    LOG.log(Level.WARNING, "delivery to a player failed", e);
                }
            }
            scheduleSprint();
        }

        void round() {
            for (ClientTap t : taps) {
                try {
                    t.deliver();
                } catch (RuntimeException e) {
                    // one player's trouble must not stop the rounds for the others
                    LOG.log(Level.WARNING, "delivery to a player failed", e);
                }
            }
        }
    }
}
