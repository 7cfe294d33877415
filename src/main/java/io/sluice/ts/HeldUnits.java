package io.sluice.ts;

/**
 * What one elementary PID holds back from players: the payload units (pictures, runs of audio frames) since its
 * last anchor, until they are known to be whole and closed. Players then only ever get whole units, so a source
 * that fails in the middle of a picture leaves nothing a decoder would choke on: at a splice what is held is
 * dropped, never sent.
 *
 * <p>An anchor is a unit whose PTS is later than every one before it (an I or P picture in decoding order, every
 * audio unit). The units from one anchor to the next form a group that is released when the next anchor starts:
 * with B-pictures that is the anchor and the B-pictures shown before it, so the pictures players got from the old
 * source end without a hole in presentation order (a hole makes decoders re-time the splice backwards). Audio,
 * whose PES declares its length, goes out as soon as that length has arrived.
 *
 * <p>Bounded: a group larger than {@link #MAX_PACKETS} is given up on (it goes out as it is and the rest of it as
 * it comes, as without holding). The buffer grows by doubling up to that bound, so a stream allocates only when a
 * group is larger than any before it, never per packet.
 */
final class HeldUnits {
    /** About 750 KiB: more than a keyframe and its B-pictures in HD streams at common bitrates. */
    static final int MAX_PACKETS = 4096;
    private static final int FIRST_PACKETS = 64;
    /**
     * A PTS this far (90 kHz: one second) before the latest is the source's own time jump, not a B-picture (those
     * are a few pictures before their anchor): it is an anchor, and the new time base's first.
     */
    private static final long JUMP_BACK = 90_000;

    private byte[] packets = new byte[FIRST_PACKETS * TsPacket.SIZE];
    private int count;
    private boolean open;
    private boolean keyframe;
    private boolean byLength;
    private int sourcePid;
    private int playerPid;
    /** The latest PTS this source's PID has had, or NO_PTS. */
    private long maxPts = Pes.NO_PTS;
    /** Payload bytes still missing from a unit of declared length; unknown (video's 0 length) is MAX_VALUE. */
    private int missing;

    /** True while units are held. */
    boolean open() {
        return open;
    }

    /**
     * True when a unit with {@code pts} starts a new group: its PTS is later than all before it, or unknown (then
     * each unit is its own group), or so much earlier that the source's clock jumped back.
     */
    boolean anchor(long pts) {
        if (pts == Pes.NO_PTS || maxPts == Pes.NO_PTS) {
            return true;
        }
        long d = Pes.ptsDiff(pts, maxPts);
        return d > 0 || d < -JUMP_BACK;
    }

    /**
     * Begins a group with the anchor unit starting in packet {@code p}, to go out on {@code toPid};
     * {@code releaseByLength}: the group may go out once the unit's declared length has arrived (audio).
     */
    void start(byte[] in, int p, int fromPid, int toPid, boolean startsKeyframe, boolean releaseByLength) {
        count = 0;
        open = true;
        keyframe = startsKeyframe;
        byLength = releaseByLength;
        sourcePid = fromPid;
        playerPid = toPid;
        unitStarts(in, p);
        append(in, p);
    }

    /** A unit inside the group (a B-picture shown before the anchor); false when the group outgrew the bound. */
    boolean addUnit(byte[] in, int p) {
        if (count == MAX_PACKETS) {
            return false;
        }
        unitStarts(in, p);
        byLength = false; // more than one unit: only the next anchor says the group is closed
        append(in, p);
        return true;
    }

    /** The current unit's next packet; false when the group outgrew the bound (the packet is not taken). */
    boolean add(byte[] in, int p) {
        if (count == MAX_PACKETS) {
            return false;
        }
        append(in, p);
        return true;
    }

    private void unitStarts(byte[] in, int p) {
        long pts = Pes.pts(in, p);
        if (pts != Pes.NO_PTS && anchor(pts)) {
            maxPts = pts; // later than all, or a new time base
        }
        int length = Pes.unitLength(in, p);
        missing = length < 0 ? Integer.MAX_VALUE : length;
    }

    private void append(byte[] in, int p) {
        if ((count + 1) * TsPacket.SIZE > packets.length) {
            packets = java.util.Arrays.copyOf(packets, Math.min(2 * packets.length, MAX_PACKETS * TsPacket.SIZE));
        }
        System.arraycopy(in, p, packets, count * TsPacket.SIZE, TsPacket.SIZE);
        count++;
        if (missing != Integer.MAX_VALUE) {
            int payload = TsPacket.payloadOffset(in, p);
            missing -= payload < 0 ? 0 : p + TsPacket.SIZE - payload;
        }
    }

    /** True when the group may go out without waiting for the next anchor: its one unit's length has arrived. */
    boolean whole() {
        return open && byLength && missing <= 0;
    }

    boolean keyframe() {
        return keyframe;
    }

    int count() {
        return count;
    }

    int sourcePid() {
        return sourcePid;
    }

    int playerPid() {
        return playerPid;
    }

    /** The held packets, {@code count()} of them from offset 0. */
    byte[] packets() {
        return packets;
    }

    /** The group went out (or outgrew the bound): nothing held until the next anchor. */
    void released() {
        count = 0;
        open = false;
        keyframe = false;
    }

    /** A change of source: what is held was never finished and never will be; the next source's PTS start anew. */
    void forget() {
        released();
        maxPts = Pes.NO_PTS;
    }
}
