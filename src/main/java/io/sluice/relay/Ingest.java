package io.sluice.relay;

import io.sluice.ts.AudioChange;
import io.sluice.ts.TsHealth;
import io.sluice.ts.TsPacket;
import io.sluice.ts.TsSplicer;
import java.nio.ByteBuffer;

/**
 * Where a stream's whole packets enter its ring, from whichever feed is current (HTTP upstream or FFmpeg): once
 * per stream, not per player. Packets go through the {@link TsSplicer}, so a change of feed is a splice players
 * follow (issue 14), and every keyframe the splicer marks is remembered as the place a joining player starts.
 * Buffers are the ingest's own, reused for every chunk; the output one grows only when a unit the splicer held
 * back (a picture) is larger than any before it.
 */
final class Ingest implements PacketSink {
    private static final int CHUNK_PACKETS = 32;

    private final TsRing ring;
    /** The relay's own sink: makes room (moving players that would be overwritten) and appends. */
    private final PacketSink toRing;
    /** The feed whose packets come next (its connection); a new one is a change of source. */
    private Object feed;
    private final TsSplicer splicer;
    private final TsHealth health;
    private Object lastFeed;
    private final byte[] in = new byte[CHUNK_PACKETS * TsPacket.SIZE];
    private byte[] out = new byte[2 * CHUNK_PACKETS * TsSplicer.MAX_OUT_PER_PACKET];
    private ByteBuffer outBuffer = ByteBuffer.wrap(out);
    /** The ring offset of the latest PAT-PMT-keyframe, or -1 when none has been seen. */
    private long joinPoint = -1;

    Ingest(TsRing ring, PacketSink toRing, long keyframeWaitNanos, boolean holdAudioChanges, long healthLimitNanos) {
        this.ring = ring;
        this.toRing = toRing;
        this.splicer = new TsSplicer(keyframeWaitNanos, holdAudioChanges);
        this.health = new TsHealth(healthLimitNanos, System.nanoTime());
    }

    /** Names the feed the next packets come from (called under the relay's lock before each delivery). */
    void from(Object current) {
        feed = current;
    }

    /**
     * Whole packets into the ring through the splicer; a cut tail (only at a clean end of a body) goes as it is.
     */
    @Override
    public void packets(ByteBuffer src, int length) {
        int whole = length - length % TsPacket.SIZE;
        append(src, whole);
        if (whole < length) {
            toRing.packets(src, length - whole);
        }
    }

    private void append(ByteBuffer src, int length) {
        long now = System.nanoTime();
        if (feed != lastFeed) {
            lastFeed = feed;
            health.reset(now); // each source is judged on its own packets
        }
        int left = length;
        while (left > 0) {
            int packets = Math.min(CHUNK_PACKETS, left / TsPacket.SIZE);
            int bytes = packets * TsPacket.SIZE;
            src.get(in, 0, bytes);
            int room = splicer.outputRoom(packets);
            if (out.length < room) {
                out = new byte[Math.max(room, 2 * out.length)];
                outBuffer = ByteBuffer.wrap(out);
            }
            int n = splicer.process(feed, in, 0, packets, out, 0, now);
            health.observe(in, 0, packets, splicer, now);
            int join = splicer.joinIndex();
            long headBefore = ring.head();
            outBuffer.clear().limit(n);
            toRing.packets(outBuffer, n);
            if (join >= 0) {
                joinPoint = headBefore + join;
            }
            left -= bytes;
        }
    }

    /**
     * Where a joining player starts: PAT, PMT, then the most recent keyframe, at most one GOP behind live; -1 when
     * the stream has no such place in the ring (no tables, no keyframe yet, or already overwritten soon).
     */
    long joinPoint() {
        long margin = ring.capacity() / 8; // a start about to be overwritten would be skipped at once
        return joinPoint >= 0 && joinPoint >= ring.tail() + margin ? joinPoint : -1;
    }

    /** What the current source's packets say about it (issue 15). */
    TsHealth.Verdict verdict() {
        return health.verdict();
    }

    /** True once the current source's PMT is known: its health verdicts are then about its media. */
    boolean sourceHasTables() {
        return splicer.sourceHasTables();
    }

    /** Non-null while the current source is held because its audio is another codec than players opened. */
    AudioChange audioChange() {
        return splicer.audioChange();
    }

    /** The held source goes to players with its own codecs. */
    void passAudioAsIs() {
        splicer.passAudioAsIs(System.nanoTime());
    }

    /** Changes of source spliced so far (for tests and logs). */
    long splices() {
        return splicer.splices();
    }
}
