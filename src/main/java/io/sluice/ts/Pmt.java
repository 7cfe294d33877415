package io.sluice.ts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A programme map table: the programme's PCR PID and its elementary streams, descriptors kept as bytes. */
public record Pmt(int programNumber, int version, int pcrPid, byte[] programInfo, List<Es> streams) {

    /** One elementary stream of the programme. */
    public record Es(int streamType, int pid, byte[] descriptors) {
        public EsKind kind() {
            return EsKind.of(streamType, descriptors);
        }

        public Es withPid(int newPid) {
            return new Es(streamType, newPid, descriptors);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Es e && e.streamType == streamType && e.pid == pid
                    && Arrays.equals(e.descriptors, descriptors);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * streamType + pid) + Arrays.hashCode(descriptors);
        }
    }

    /** Parses a whole PMT section (CRC already checked); null when it is not a well-formed PMT. */
    public static Pmt parse(byte[] s, int len) {
        if (len < 16 || (s[0] & 0xFF) != 0x02) {
            return null;
        }
        int program = ((s[3] & 0xFF) << 8) | (s[4] & 0xFF);
        int version = (s[5] >> 1) & 0x1F;
        int pcrPid = ((s[8] & 0x1F) << 8) | (s[9] & 0xFF);
        int infoLen = ((s[10] & 0x0F) << 8) | (s[11] & 0xFF);
        int end = len - 4;
        int i = 12 + infoLen;
        if (i > end) {
            return null;
        }
        byte[] info = Arrays.copyOfRange(s, 12, i);
        List<Es> streams = new ArrayList<>();
        while (i + 5 <= end) {
            int type = s[i] & 0xFF;
            int pid = ((s[i + 1] & 0x1F) << 8) | (s[i + 2] & 0xFF);
            int esInfo = ((s[i + 3] & 0x0F) << 8) | (s[i + 4] & 0xFF);
            if (i + 5 + esInfo > end) {
                return null;
            }
            streams.add(new Es(type, pid, Arrays.copyOfRange(s, i + 5, i + 5 + esInfo)));
            i += 5 + esInfo;
        }
        return new Pmt(program, version, pcrPid, info, List.copyOf(streams));
    }

    /** The PID of the programme's first elementary stream of {@code kind}, or -1 when it has none. */
    public int firstPid(EsKind kind) {
        for (Es e : streams) {
            if (e.kind() == kind) {
                return e.pid();
            }
        }
        return -1;
    }

    public Pmt withVersion(int v) {
        return new Pmt(programNumber, v & 0x1F, pcrPid, programInfo, streams);
    }

    /** Same programme content, version aside: an unchanged table keeps its version, a changed one needs a new one. */
    public boolean sameContent(Pmt o) {
        return o != null && o.programNumber == programNumber && o.pcrPid == pcrPid
                && Arrays.equals(o.programInfo, programInfo) && o.streams.equals(streams);
    }

    /** This PMT as a section with its CRC. */
    public byte[] section() {
        int esBytes = 0;
        for (Es e : streams) {
            esBytes += 5 + e.descriptors.length;
        }
        int len = 12 + programInfo.length + esBytes + 4;
        if (len > SectionAssembler.MAX_SECTION) {
            throw new IllegalArgumentException("PMT too long: " + len);
        }
        byte[] s = new byte[len];
        s[0] = 0x02;
        s[1] = (byte) (0xB0 | (((len - 3) >> 8) & 0x0F));
        s[2] = (byte) (len - 3);
        s[3] = (byte) (programNumber >> 8);
        s[4] = (byte) programNumber;
        s[5] = (byte) (0xC1 | ((version & 0x1F) << 1));
        s[6] = 0;
        s[7] = 0;
        s[8] = (byte) (0xE0 | ((pcrPid >> 8) & 0x1F));
        s[9] = (byte) pcrPid;
        s[10] = (byte) (0xF0 | ((programInfo.length >> 8) & 0x0F));
        s[11] = (byte) programInfo.length;
        System.arraycopy(programInfo, 0, s, 12, programInfo.length);
        int i = 12 + programInfo.length;
        for (Es e : streams) {
            s[i] = (byte) e.streamType;
            s[i + 1] = (byte) (0xE0 | ((e.pid >> 8) & 0x1F));
            s[i + 2] = (byte) e.pid;
            s[i + 3] = (byte) (0xF0 | ((e.descriptors.length >> 8) & 0x0F));
            s[i + 4] = (byte) e.descriptors.length;
            System.arraycopy(e.descriptors, 0, s, i + 5, e.descriptors.length);
            i += 5 + e.descriptors.length;
        }
        Sections.writeCrc(s);
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pmt p && p.version == version && sameContent(p);
    }

    @Override
    public int hashCode() {
        return 31 * streams.hashCode() + version;
    }
}
