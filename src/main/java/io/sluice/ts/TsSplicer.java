package io.sluice.ts;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Rewrites one live stream's packets so that a change of source is a splice players follow, not a new stream
 * they cannot see (issue 14). Pure: whole packets in, packets out, no I/O and no allocation per packet (tables
 * are parsed and rebuilt only when they change).
 *
 * <p>Until the first source announces a programme (PAT and PMT), packets pass unchanged. From then on players
 * get Sluice's own PAT and PMT, rebuilt from each source's: the PMT keeps its PID and programme number for good,
 * and its version changes only when what it says changes. At a change of source:
 * <ol>
 *   <li>nothing of the new source goes out before its PAT and PMT, which go out first;</li>
 *   <li>its elementary streams are put on the PIDs players know, by kind and order ({@link ProgramLayout});</li>
 *   <li>video resumes at a keyframe (waiting at most {@code keyframeWait}), every other stream at its next
 *       payload unit start, and audio that would play before that keyframe is left out;</li>
 *   <li>each PID's first packet carries discontinuity_indicator (in its own adaptation field, or in an
 *       adaptation-only packet just before it), so players take the new time base instead of waiting out the
 *       gap; continuity counters run on per PID as players see them.</li>
 * </ol>
 * Each keyframe of the first video stream is preceded by the PAT and PMT: a player joining there
 * ({@link #joinIndex()}) decodes from its first packet.
 *
 * <p>Video and audio go out whole payload units only ({@link HeldUnits}): units are held until known whole and
 * closed (audio: its declared length has arrived; video: the next I or P picture starts), and what the old source
 * left unfinished is dropped at a splice, so a source failing in the middle of a picture leaves decoders nothing
 * to complain about. Audio is not delayed; video goes out one picture later than it came, or the B-pictures
 * between two references later (a few pictures) when the source has them.
 */
public final class TsSplicer {
    /**
     * What one input packet can become at most by itself: PAT, PMT (≤ 6 packets), an adaptation-only packet,
     * itself. Units it releases come on top: see {@link #outputRoom}.
     */
    public static final int MAX_OUT_PER_PACKET = 9 * TsPacket.SIZE;
    /** Audio may start this much (90 kHz) before the first picture: about a frame. */
    private static final long AUDIO_LEAD = 3600;
    private static final int PIDS = 8192;
    private static final byte KIND_NONE = -1;
    /** Video and audio streams of a programme whose units are held whole; further ones pass as they come. */
    private static final int HELD_STREAMS = 8;

    private final long keyframeWaitNanos;
    /** Whether a new source whose audio codec differs from players' is held for its owner to decide (issue 14). */
    private final boolean holdAudioChanges;
    /** Per player PID: the stream players were first told about there (the decoder they opened). */
    private final Map<Integer, Pmt.Es> announced = new HashMap<>();
    /** The current source's PMT while it is held for an audio change, with that change; else null. */
    private Pmt heldPmt;
    private AudioChange audioChange;
    /** The current source goes to players with its own audio codecs (no conforming to be had). */
    private boolean audioAsIs;

    // Per source PID.
    private final short[] outPid = new short[PIDS];
    private final byte[] kind = new byte[PIDS];
    private final byte[] lastInCc = new byte[PIDS];
    private final boolean[] needsUnitStart = new boolean[PIDS];
    // Per output PID.
    private final byte[] outCc = new byte[PIDS];
    private final boolean[] pendingDiscontinuity = new boolean[PIDS];
    /** Per source PID: its slot in {@link #held}, or -1 when its units are not held. */
    private final byte[] heldSlot = new byte[PIDS];
    private final HeldUnits[] held = new HeldUnits[HELD_STREAMS];
    /** Where the current {@link #process} call's output begins. */
    private int outBase;

    private final SectionAssembler patSection = new SectionAssembler();
    private final SectionAssembler pmtSection = new SectionAssembler();

    private Object source;
    private int sourcePmtPid = -1;
    private int sourcePatCrc;
    private int sourcePmtCrc;
    private boolean sourcePmtSeen;
    private int primaryVideoPid = -1;
    private int primaryVideoType;
    private int sourcePcrPid = TsPacket.NULL_PID;

    /** The programme as players see it; null while packets pass unchanged. */
    private Pat outPat;
    private Pmt outPmt;
    private ProgramLayout layout;
    private byte[] patPackets;
    private byte[] pmtPackets;

    // The splice in progress.
    private boolean awaitingTables;
    private boolean awaitingKeyframe;
    private boolean rawSource;
    private long spliceStartNanos;
    private long keyframePts = Pes.NO_PTS;

    private int joinIndex = -1;
    private long splices;

    public TsSplicer(long keyframeWaitNanos) {
        this(keyframeWaitNanos, false);
    }

    /**
     * With {@code holdAudioChanges}, a new source whose audio is another codec than players opened is held (none
     * of it goes out) until its owner either feeds it again conformed ({@link #audioChange()}), or says it goes
     * as it is ({@link #passAudioAsIs(long)}); without, it goes as it is at once.
     */
    public TsSplicer(long keyframeWaitNanos, boolean holdAudioChanges) {
        this.keyframeWaitNanos = keyframeWaitNanos;
        this.holdAudioChanges = holdAudioChanges;
        Arrays.fill(outCc, (byte) -1);
        forgetSource();
    }

    /**
     * Rewrites {@code count} whole packets from {@code in} into {@code out}, which must have room for
     * {@link #outputRoom}{@code (count)} bytes; returns the bytes written. {@code from} names the feed the packets
     * come from: a feed other than the last one's is a change of source.
     */
    public int process(Object from, byte[] in, int inOff, int count, byte[] out, int outOff, long nowNanos) {
        joinIndex = -1;
        outBase = outOff;
        if (from != source) {
            beginSplice(from, nowNanos);
        }
        int o = outOff;
        for (int k = 0; k < count; k++) {
            if (awaitingTables || awaitingKeyframe) {
                checkWait(nowNanos);
            }
            int p = inOff + k * TsPacket.SIZE;
            if (!TsPacket.isSync(in, p)) {
                System.arraycopy(in, p, out, o, TsPacket.SIZE); // not TS: nothing to understand, pass it on
                o += TsPacket.SIZE;
                continue;
            }
            o = packet(in, p, out, o);
        }
        return o - outOff;
    }

    /**
     * The output room the next {@link #process} of {@code count} packets needs: each packet can become
     * {@link #MAX_OUT_PER_PACKET} bytes, and the units held so far can be released with them.
     */
    public int outputRoom(int count) {
        int room = count * MAX_OUT_PER_PACKET + (HELD_STREAMS + 8) * TsPacket.SIZE;
        for (HeldUnits h : held) {
            room += h == null ? 0 : h.count() * TsPacket.SIZE;
        }
        return room;
    }

    /** Bytes of unfinished units held back from players now (the cost of sending only whole units). */
    public int heldBytes() {
        int bytes = 0;
        for (HeldUnits h : held) {
            bytes += h == null ? 0 : h.count() * TsPacket.SIZE;
        }
        return bytes;
    }

    /** Where in the last {@link #process} output a player can start (PAT, PMT, keyframe), or -1 if nowhere. */
    public int joinIndex() {
        return joinIndex;
    }

    /** True once players are given Sluice's own tables (a source announced its programme). */
    public boolean rewriting() {
        return outPmt != null;
    }

    /** The PMT players have now; null while packets pass unchanged. */
    public Pmt playerPmt() {
        return outPmt;
    }

    public long splices() {
        return splices;
    }

    /** True once the current source's PMT is known (its streams' kinds below are then meaningful). */
    public boolean sourceHasTables() {
        return sourcePmtSeen;
    }

    /**
     * Non-null while the current source is held because its audio is another codec than players opened: what
     * each of its audio streams must be encoded to. Nothing of the source goes out meanwhile.
     */
    public AudioChange audioChange() {
        return audioChange;
    }

    /**
     * The held source goes to players as it is: its own codecs, announced in a new PMT version; the wait for its
     * tables and keyframe begins now.
     */
    public void passAudioAsIs(long nowNanos) {
        audioAsIs = true;
        spliceStartNanos = nowNanos;
        if (heldPmt != null) {
            adopt(heldPmt); // its tables go out with its next PMT, as at any splice
            heldPmt = null;
            audioChange = null;
        }
    }

    /** The kind of the current source's stream on {@code pid}, or null when its PMT names no such stream. */
    public EsKind sourceKind(int pid) {
        int k = kind[pid];
        return k < 0 ? null : EsKind.values()[k];
    }

    public boolean sourceHasVideo() {
        return primaryVideoPid >= 0;
    }

    /** The current source's PCR PID, or the null PID when it has none (or no PMT yet). */
    public int sourcePcrPid() {
        return sourcePcrPid;
    }

    private int packet(byte[] in, int p, byte[] out, int o) {
        int pid = TsPacket.pid(in, p);
        if (pid == TsPacket.PAT_PID) {
            return onPat(in, p, out, o);
        }
        if (pid == sourcePmtPid && !rawSource) {
            return onPmt(in, p, out, o);
        }
        if (outPmt == null) {
            return passUnchanged(in, p, pid, out, o);
        }
        if (rawSource || pid == TsPacket.NULL_PID) {
            return copy(in, p, pid, pid, out, o);
        }
        if (awaitingTables) {
            return drop(pid, o);
        }
        int mapped = outPid[pid];
        if (mapped < 0) {
            // Tables of the multiplex (SDT, EIT ...) go on; PIDs outside the programme could collide with ours.
            return pid < TsPacket.FIRST_ES_PID ? copy(in, p, pid, pid, out, o) : drop(pid, o);
        }
        boolean unitStart = TsPacket.payloadUnitStart(in, p);
        boolean keyframe = pid == primaryVideoPid && unitStart && Pes.startsKeyframe(in, p, primaryVideoType);
        if (awaitingKeyframe) {
            if (!keyframe) {
                return drop(pid, o);
            }
            awaitingKeyframe = false;
            keyframePts = Pes.pts(in, p);
        }
        if (needsUnitStart[pid]) {
            if (!unitStart || audioAhead(in, p, pid)) {
                return drop(pid, o);
            }
            needsUnitStart[pid] = false;
        }
        int slot = heldSlot[pid];
        if (slot >= 0) {
            return hold(held[slot], in, p, pid, mapped, unitStart, keyframe, out, o);
        }
        if (keyframe) {
            o = joinHere(out, o);
        }
        return copy(in, p, pid, mapped, out, o);
    }

    /** A place to join: the tables, then (next) the keyframe. */
    private int joinHere(byte[] out, int o) {
        joinIndex = o - outBase;
        return tables(out, o, true);
    }

    /**
     * One packet of a held stream: an anchor's start releases the group before it on that PID (now known whole
     * and closed) and begins the next; a group whose declared length has arrived goes out at once.
     */
    private int hold(HeldUnits h, byte[] in, int p, int pid, int mapped, boolean unitStart, boolean keyframe,
                     byte[] out, int o) {
        if (unitStart && (!h.open() || keyframe || h.anchor(Pes.pts(in, p)))) {
            o = release(h, out, o);
            h.start(in, p, pid, mapped, keyframe, kind[pid] == EsKind.AUDIO.ordinal());
        } else if (unitStart) {
            if (!h.addUnit(in, p)) {
                o = release(h, out, o); // outgrew the bound: the group goes out as it is, its rest as it comes
                return copy(in, p, pid, mapped, out, o);
            }
        } else if (!h.open()) {
            return copy(in, p, pid, mapped, out, o); // the rest of a unit that was not held: as it comes
        } else if (!h.add(in, p)) {
            o = release(h, out, o); // outgrew the bound: the unit goes out as it is, its rest as it comes
            return copy(in, p, pid, mapped, out, o);
        }
        return h.whole() ? release(h, out, o) : o;
    }

    private int release(HeldUnits h, byte[] out, int o) {
        if (!h.open()) {
            return o;
        }
        if (h.keyframe()) {
            o = joinHere(out, o);
        }
        byte[] packets = h.packets();
        for (int i = 0; i < h.count(); i++) {
            o = copy(packets, i * TsPacket.SIZE, h.sourcePid(), h.playerPid(), out, o);
        }
        h.released();
        return o;
    }

    private int releaseAll(byte[] out, int o) {
        for (HeldUnits h : held) {
            if (h != null) {
                o = release(h, out, o);
            }
        }
        return o;
    }

    /** Audio that would play before the splice's first picture by more than about a frame. */
    private boolean audioAhead(byte[] in, int p, int pid) {
        if (kind[pid] != EsKind.AUDIO.ordinal() || keyframePts == Pes.NO_PTS) {
            return false;
        }
        long pts = Pes.pts(in, p);
        return pts != Pes.NO_PTS && Pes.ptsDiff(pts, keyframePts) < -AUDIO_LEAD;
    }

    private int onPat(byte[] in, int p, byte[] out, int o) {
        boolean whole = patSection.offer(in, p);
        if (whole && (sourcePmtPid < 0 || patSection.crc() != sourcePatCrc)) {
            Pat pat = Pat.parse(patSection.section(), patSection.sectionLength());
            if (pat != null) {
                sourcePatCrc = patSection.crc();
                if (pat.pmtPid() != sourcePmtPid) {
                    sourcePmtPid = pat.pmtPid();
                    pmtSection.reset();
                    sourcePmtSeen = false;
                }
                if (outPat == null) {
                    outPat = pat;
                }
            }
        }
        if (outPmt == null) {
            return passUnchanged(in, p, TsPacket.PAT_PID, out, o);
        }
        if (rawSource) {
            return copy(in, p, TsPacket.PAT_PID, TsPacket.PAT_PID, out, o);
        }
        // Players get Sluice's PAT at the source's pace; never before the new source's PMT after a splice.
        return whole && !awaitingTables ? emit(patPackets, TsPacket.PAT_PID, out, o) : o;
    }

    private int onPmt(byte[] in, int p, byte[] out, int o) {
        boolean whole = pmtSection.offer(in, p);
        boolean passing = outPmt == null;
        if (whole && (!sourcePmtSeen || pmtSection.crc() != sourcePmtCrc)) {
            Pmt pmt = Pmt.parse(pmtSection.section(), pmtSection.sectionLength());
            if (pmt != null) {
                sourcePmtCrc = pmtSection.crc();
                sourcePmtSeen = true;
                AudioChange change = awaitingTables && holdAudioChanges && !audioAsIs ? audioChangeOf(pmt) : null;
                heldPmt = change == null ? null : pmt;
                audioChange = change;
                if (change == null) {
                    o = releaseAll(out, o); // a programme changed mid-source: its units held so far go out as they are
                    adopt(pmt);
                }
            }
        }
        if (audioChange != null) {
            return o; // held: players get nothing of this source as it is
        }
        if (outPmt == null) {
            return passUnchanged(in, p, sourcePmtPid, out, o);
        }
        if (!whole) {
            return o;
        }
        if (passing || awaitingTables) {
            boolean splice = awaitingTables;
            awaitingTables = false;
            awaitingKeyframe = splice && primaryVideoPid >= 0;
            return tables(out, o, true); // the tables first, before any packet of the new source
        }
        return emit(pmtPackets, layout.pmtPid(), out, o);
    }

    /** What {@code pmt}'s audio would change for players: its n-th audio goes to their n-th audio PID. */
    private AudioChange audioChangeOf(Pmt pmt) {
        return AudioChange.of(pmt, n -> announced.get(layout.known(EsKind.AUDIO, n)));
    }

    /** Takes a source's PMT: on the first, players' programme is born; later, streams are put on players' PIDs. */
    private void adopt(Pmt pmt) {
        if (outPmt == null) {
            layout = new ProgramLayout(sourcePmtPid);
            Arrays.fill(needsUnitStart, false); // packets passed unchanged so far: players are in step
        }
        for (int pid = 0; pid < PIDS; pid++) {
            outPid[pid] = -1;
            kind[pid] = KIND_NONE;
            heldSlot[pid] = -1;
        }
        int slots = 0;
        sourcePcrPid = pmt.pcrPid();
        int[] mapped = layout.map(pmt);
        var streams = new java.util.ArrayList<Pmt.Es>(pmt.streams().size());
        primaryVideoPid = -1;
        for (int i = 0; i < pmt.streams().size(); i++) {
            Pmt.Es es = pmt.streams().get(i);
            outPid[es.pid()] = (short) mapped[i];
            kind[es.pid()] = (byte) es.kind().ordinal();
            streams.add(es.withPid(mapped[i]));
            if (es.kind() != EsKind.OTHER && slots < HELD_STREAMS) {
                if (held[slots] == null) {
                    held[slots] = new HeldUnits();
                }
                heldSlot[es.pid()] = (byte) slots++;
            }
            if (es.kind() == EsKind.VIDEO && primaryVideoPid < 0) {
                primaryVideoPid = es.pid();
                primaryVideoType = es.streamType();
            }
        }
        int pcr = mapped[mapped.length - 1];
        if (pmt.pcrPid() != TsPacket.NULL_PID && outPid[pmt.pcrPid()] < 0) {
            outPid[pmt.pcrPid()] = (short) pcr;
            kind[pmt.pcrPid()] = (byte) EsKind.OTHER.ordinal();
        }
        int program = outPmt == null ? pmt.programNumber() : outPmt.programNumber();
        int version = outPmt == null ? pmt.version() : outPmt.version();
        Pmt next = new Pmt(program, version, pcr, pmt.programInfo(), java.util.List.copyOf(streams));
        if (outPmt != null && !next.sameContent(outPmt)) {
            next = next.withVersion(version + 1); // players re-read the programme, and re-open changed decoders
        }
        if (outPmt == null) {
            patPackets = Sections.packets(new Pat(outPat == null ? 1 : outPat.transportStreamId(),
                    outPat == null ? 0 : outPat.version(), program, layout.pmtPid()).section(), TsPacket.PAT_PID);
        }
        if (!next.equals(outPmt)) {
            pmtPackets = Sections.packets(next.section(), layout.pmtPid());
        }
        outPmt = next;
        for (Pmt.Es es : next.streams()) {
            announced.putIfAbsent(es.pid(), es);
        }
    }

    private void beginSplice(Object from, long nowNanos) {
        // A source held for its audio that never went out (its conform's output follows it) is no splice of its own.
        boolean counted = source != null && audioChange == null;
        source = from;
        forgetSource();
        if (outPmt == null) {
            return;
        }
        splices += counted ? 1 : 0;
        awaitingTables = true;
        awaitingKeyframe = false;
        rawSource = false;
        keyframePts = Pes.NO_PTS;
        spliceStartNanos = nowNanos;
        for (Pmt.Es es : outPmt.streams()) {
            pendingDiscontinuity[es.pid()] = true;
        }
        if (outPmt.pcrPid() != TsPacket.NULL_PID) {
            pendingDiscontinuity[outPmt.pcrPid()] = true;
        }
    }

    private void forgetSource() {
        patSection.reset();
        pmtSection.reset();
        sourcePmtPid = -1;
        sourcePmtSeen = false;
        primaryVideoPid = -1;
        sourcePcrPid = TsPacket.NULL_PID;
        Arrays.fill(outPid, (short) -1);
        Arrays.fill(kind, KIND_NONE);
        Arrays.fill(lastInCc, (byte) -1);
        Arrays.fill(needsUnitStart, true);
        Arrays.fill(heldSlot, (byte) -1);
        heldPmt = null;
        audioChange = null;
        audioAsIs = false;
        for (HeldUnits h : held) {
            if (h != null) {
                h.forget(); // the old source's unfinished units: never finished, never sent
            }
        }
    }

    /** A bounded wait: a source without tables is passed as it comes, video without a keyframe resumes anyway. */
    private void checkWait(long nowNanos) {
        if (nowNanos - spliceStartNanos <= keyframeWaitNanos) {
            return;
        }
        if (awaitingTables && audioChange == null) {
            awaitingTables = false;
            rawSource = true;
        }
        awaitingKeyframe = false;
    }

    /** PAT then PMT; returns the new output position. */
    private int tables(byte[] out, int o, boolean withPat) {
        if (withPat) {
            o = emit(patPackets, TsPacket.PAT_PID, out, o);
        }
        return emit(pmtPackets, layout.pmtPid(), out, o);
    }

    private int emit(byte[] packets, int pid, byte[] out, int o) {
        for (int off = 0; off < packets.length; off += TsPacket.SIZE) {
            System.arraycopy(packets, off, out, o, TsPacket.SIZE);
            int cc = (outCc[pid] + 1) & 0x0F;
            TsPacket.setContinuityCounter(out, o, cc);
            outCc[pid] = (byte) cc;
            o += TsPacket.SIZE;
        }
        return o;
    }

    private int drop(int pid, int o) {
        lastInCc[pid] = -1; // the next packet that goes out follows the last one players got, whatever came between
        needsUnitStart[pid] = true;
        return o;
    }

    /** Before any programme is known: the packet as it came, its counter noted for when rewriting begins. */
    private int passUnchanged(byte[] in, int p, int pid, byte[] out, int o) {
        System.arraycopy(in, p, out, o, TsPacket.SIZE);
        int cc = TsPacket.continuityCounter(in, p);
        outCc[pid] = (byte) cc;
        lastInCc[pid] = (byte) cc;
        return o + TsPacket.SIZE;
    }

    /** One packet out on {@code to}, its continuity counter continuing what players have on that PID. */
    private int copy(byte[] in, int p, int from, int to, byte[] out, int o) {
        boolean payload = TsPacket.hasPayload(in, p);
        int cc = TsPacket.continuityCounter(in, p);
        int last = outCc[to];
        int next;
        if (last < 0) {
            next = cc;
        } else if (!payload) {
            next = last; // no payload: the counter does not advance
        } else if (lastInCc[from] < 0) {
            next = (last + 1) & 0x0F;
        } else {
            next = (last + ((cc - lastInCc[from]) & 0x0F)) & 0x0F; // keeps the source's own gaps visible
        }
        if (payload) {
            lastInCc[from] = (byte) cc;
        }
        if (pendingDiscontinuity[to]) {
            pendingDiscontinuity[to] = false;
            if (!TsPacket.hasAdaptation(in, p) || TsPacket.adaptationLength(in, p) < 1) {
                TsPacket.writeAdaptationOnly(out, o, to, last < 0 ? 0 : last, 0x80);
                o += TsPacket.SIZE;
                System.arraycopy(in, p, out, o, TsPacket.SIZE);
            } else {
                System.arraycopy(in, p, out, o, TsPacket.SIZE);
                TsPacket.setDiscontinuity(out, o);
            }
        } else {
            System.arraycopy(in, p, out, o, TsPacket.SIZE);
        }
        if (to != from) {
            TsPacket.setPid(out, o, to);
        }
        if (next != cc) {
            TsPacket.setContinuityCounter(out, o, next);
        }
        outCc[to] = (byte) next;
        return o + TsPacket.SIZE;
    }
}
