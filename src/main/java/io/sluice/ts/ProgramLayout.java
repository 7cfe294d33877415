package io.sluice.ts;

import java.util.ArrayList;
import java.util.List;

/**
 * The PIDs players have been told about, per kind in order of announcement. A new source's elementary streams
 * are put on them by kind and order (its first video on the first video PID players know, its second audio on
 * the second audio PID ...); a stream with no counterpart gets a fresh PID that is remembered for later splices.
 */
public final class ProgramLayout {
    private final int pmtPid;
    private final List<List<Integer>> byKind = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    private int pcrOnlyPid = -1;

    public ProgramLayout(int pmtPid) {
        this.pmtPid = pmtPid;
    }

    public int pmtPid() {
        return pmtPid;
    }

    /**
     * The output PID of each of {@code source}'s streams, in PMT order; the last element is the output PCR PID.
     * A PCR carried on a PID of its own keeps one output PID of its own too.
     */
    public int[] map(Pmt source) {
        int[] out = new int[source.streams().size() + 1];
        int[] seen = new int[EsKind.values().length];
        int pcrOut = -1;
        for (int i = 0; i < source.streams().size(); i++) {
            Pmt.Es es = source.streams().get(i);
            List<Integer> known = byKind.get(es.kind().ordinal());
            int index = seen[es.kind().ordinal()]++;
            if (index >= known.size()) {
                known.add(fresh(es.pid()));
            }
            out[i] = known.get(index);
            if (es.pid() == source.pcrPid()) {
                pcrOut = out[i];
            }
        }
        if (pcrOut < 0) {
            if (source.pcrPid() == TsPacket.NULL_PID) {
                pcrOut = TsPacket.NULL_PID;
            } else {
                if (pcrOnlyPid < 0) {
                    pcrOnlyPid = fresh(source.pcrPid());
                }
                pcrOut = pcrOnlyPid;
            }
        }
        out[out.length - 1] = pcrOut;
        return out;
    }

    /** The {@code index}-th PID of {@code kind} players were told about, or -1 when there is none yet. */
    public int known(EsKind kind, int index) {
        List<Integer> pids = byKind.get(kind.ordinal());
        return index < pids.size() ? pids.get(index) : -1;
    }

    /** {@code preferred} when no one uses it yet (the first source keeps its own PIDs), else the lowest free one. */
    private int fresh(int preferred) {
        if (free(preferred)) {
            return preferred;
        }
        for (int pid = 0x100; pid < TsPacket.NULL_PID; pid++) {
            if (free(pid)) {
                return pid;
            }
        }
        throw new IllegalStateException("no free PID");
    }

    private boolean free(int pid) {
        if (pid < TsPacket.FIRST_ES_PID || pid >= TsPacket.NULL_PID || pid == pmtPid || pid == pcrOnlyPid) {
            return false;
        }
        for (List<Integer> pids : byKind) {
            if (pids.contains(pid)) {
                return false;
            }
        }
        return true;
    }
}
