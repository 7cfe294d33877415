package io.sluice.relay;

import io.sluice.support.DaemonThreads;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

    private final Lane[] lanes;
    private final AtomicInteger next = new AtomicInteger();

    Delivery(int threads, long roundMillis) {
        lanes = new Lane[threads];
        for (int i = 0; i < threads; i++) {
            lanes[i] = new Lane("sluice-delivery-" + i, roundMillis);
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
            if (l.taps.remove(tap)) {
                return;
            }
        }
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
        final ScheduledExecutorService timer;

        Lane(String name, long roundMillis) {
            timer = DaemonThreads.timer(name);
            timer.scheduleAtFixedRate(this::round, roundMillis, roundMillis, TimeUnit.MILLISECONDS);
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
