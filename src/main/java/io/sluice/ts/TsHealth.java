package io.sluice.ts;

/**
 * Media-aware health of one source from the packets the relay already has, without decoding (issue 15): a
 * source whose connection is up but whose transport stream is broken. Fed per chunk of whole packets; reads a
 * few header bytes per packet and allocates nothing.
 *
 * <p>Verdicts, each after {@code limit} without what it names: {@code null_only} (nothing but null packets),
 * {@code no_media} (no payload on any audio or video PID of the programme), {@code pcr_stalled} (the PCR does
 * not advance), {@code video_missing} (the programme lists video but its PID carries nothing). The last three
 * need the source's PMT; a stream without tables is judged on null packets only. Time the relay itself held
 * the source back (no packets arrived at all) does not count against it.
 */
public final class TsHealth {
    /** What the packets say about the source. */
    public enum Verdict {
        HEALTHY, NULL_ONLY, NO_MEDIA, PCR_STALLED, VIDEO_MISSING;

        /** The reason word in events, metrics and logs. */
        public String reason() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A gap between two chunks longer than this is the relay's pause (or a slow network), not the source's fault. */
    private static final long PAUSE_NANOS = 500_000_000L;

    private final long limitNanos;
    private long lastArrival;
    private long lastNonNull;
    private long lastMedia;
    private long lastVideo;
    private long lastPcrAdvance;
    private long lastPcr = -1;
    private Verdict verdict = Verdict.HEALTHY;

    /** {@code limitNanos} 0 turns the checks off. */
    public TsHealth(long limitNanos, long nowNanos) {
        this.limitNanos = limitNanos;
        reset(nowNanos);
    }

    /** A new source: everything it is judged on starts now. */
    public void reset(long nowNanos) {
        lastArrival = nowNanos;
        lastNonNull = nowNanos;
        lastMedia = nowNanos;
        lastVideo = nowNanos;
        lastPcrAdvance = nowNanos;
        lastPcr = -1;
        verdict = Verdict.HEALTHY;
    }

    /** The verdict after the last chunk: stays until {@link #reset}. */
    public Verdict verdict() {
        return verdict;
    }

    /** Takes in {@code count} whole packets of the current source, whose tables {@code source} knows. */
    public Verdict observe(byte[] in, int off, int count, TsSplicer source, long nowNanos) {
        if (limitNanos == 0 || verdict != Verdict.HEALTHY) {
            return verdict;
        }
        long gap = nowNanos - lastArrival;
        if (gap > PAUSE_NANOS) {
            lastNonNull += gap;
            lastMedia += gap;
            lastVideo += gap;
            lastPcrAdvance += gap;
        }
        lastArrival = nowNanos;
        int pcrPid = source.sourcePcrPid();
        for (int k = 0; k < count; k++) {
            int p = off + k * TsPacket.SIZE;
            if (!TsPacket.isSync(in, p)) {
                continue;
            }
            int pid = TsPacket.pid(in, p);
            if (pid == TsPacket.NULL_PID) {
                continue;
            }
            lastNonNull = nowNanos;
            EsKind kind = source.sourceKind(pid);
            if ((kind == EsKind.VIDEO || kind == EsKind.AUDIO) && TsPacket.hasPayload(in, p)) {
                lastMedia = nowNanos;
                if (kind == EsKind.VIDEO) {
                    lastVideo = nowNanos;
                }
            }
            if (pid == pcrPid && TsPacket.hasPcr(in, p)) {
                long pcr = TsPacket.pcrBase(in, p);
                if (pcr != lastPcr) {
                    lastPcr = pcr;
                    lastPcrAdvance = nowNanos;
                }
            }
        }
        verdict = judge(source, nowNanos);
        return verdict;
    }

    private Verdict judge(TsSplicer source, long now) {
        if (now - lastNonNull > limitNanos) {
            return Verdict.NULL_ONLY;
        }
        if (!source.sourceHasTables()) {
            return Verdict.HEALTHY;
        }
        if (now - lastMedia > limitNanos) {
            return Verdict.NO_MEDIA;
        }
        if (source.sourceHasVideo() && now - lastVideo > limitNanos) {
            return Verdict.VIDEO_MISSING;
        }
        if (source.sourcePcrPid() != TsPacket.NULL_PID && now - lastPcrAdvance > limitNanos) {
            return Verdict.PCR_STALLED;
        }
        return Verdict.HEALTHY;
    }
}
