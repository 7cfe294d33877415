package io.sluice.relay;

import io.sluice.sources.RecoveryEpisode;
import io.sluice.upstream.UpstreamFailure;
import java.util.function.Supplier;

/**
 * A relay's recovery bookkeeping (SPEC 9.3): the episode in progress while the upstream is broken, and since when
 * playing players have been waiting (for the stall histogram). Decisions stay in {@link RecoveryEpisode}; this
 * only keeps which episode is current. Guarded by the relay's lock.
 */
final class RelayRecovery {
    /** The episode in progress; null while the upstream is healthy. */
    private RecoveryEpisode episode;
    /** When the upstream broke under playing players; 0 when not stalled. */
    private long stalledSinceNanos;

    /**
     * The episode a failure belongs to, begun by {@code fresh} if none is in progress; null for a refusal of this
     * instance's own (no transcoder here), which blames no source: no retry and no failover.
     */
    RecoveryEpisode episodeFor(UpstreamFailure f, Supplier<RecoveryEpisode> fresh) {
        if (local(f)) {
            return null;
        }
        if (episode == null) {
            episode = fresh.get();
        }
        return episode;
    }

    /** Is an episode in progress? (Connections made meanwhile are judged on their first data.) */
    boolean inEpisode() {
        return episode != null;
    }

    /** Still the episode the relay is in? (A manual failover, a release or a close ends it meanwhile.) */
    boolean isCurrent(RecoveryEpisode ep) {
        return ep != null && episode == ep;
    }

    /** Players that were playing now wait for the upstream. */
    void stalled(long nowNanos) {
        if (stalledSinceNanos == 0) {
            stalledSinceNanos = nowNanos;
        }
    }

    /** Data flows again: the episode and its counters end; returns how long players waited, or -1. */
    long recovered(long nowNanos) {
        episode = null;
        if (stalledSinceNanos == 0) {
            return -1;
        }
        long waited = nowNanos - stalledSinceNanos;
        stalledSinceNanos = 0;
        return waited;
    }

    /** Nothing left to recover (given up, released, switched). */
    void end() {
        episode = null;
    }

    /** A refusal of this instance's own (no transcoder here), not a failure of the source. */
    static boolean local(UpstreamFailure f) {
        return f.kind() == UpstreamFailure.Kind.TRANSCODER && f.statusCode() > 0;
    }
}
