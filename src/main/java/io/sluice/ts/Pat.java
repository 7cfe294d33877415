package io.sluice.ts;

/**
 * A program association table reduced to what a single-programme stream needs: the multiplex id and the first
 * programme with its PMT PID (IPTV sources carry one programme; further ones are not relayed).
 */
public record Pat(int transportStreamId, int version, int programNumber, int pmtPid) {

    /** Parses a whole PAT section (CRC already checked); null when it is not a PAT or names no programme. */
    public static Pat parse(byte[] s, int len) {
        if (len < 12 || (s[0] & 0xFF) != 0x00) {
            return null;
        }
        int tsid = ((s[3] & 0xFF) << 8) | (s[4] & 0xFF);
        int version = (s[5] >> 1) & 0x1F;
        for (int i = 8; i + 4 <= len - 4; i += 4) {
            int program = ((s[i] & 0xFF) << 8) | (s[i + 1] & 0xFF);
            int pid = ((s[i + 2] & 0x1F) << 8) | (s[i + 3] & 0xFF);
            if (program != 0) { // program 0 points at the NIT
                return new Pat(tsid, version, program, pid);
            }
        }
        return null;
    }

    /** This PAT as a section with its CRC. */
    public byte[] section() {
        byte[] s = new byte[16];
        s[0] = 0x00;
        s[1] = (byte) 0xB0; // section_syntax_indicator, '0', reserved
        s[2] = 13; // section_length: 5 + one programme (4) + CRC (4)
        s[3] = (byte) (transportStreamId >> 8);
        s[4] = (byte) transportStreamId;
        s[5] = (byte) (0xC1 | ((version & 0x1F) << 1)); // reserved, version, current_next_indicator
        s[6] = 0;
        s[7] = 0;
        s[8] = (byte) (programNumber >> 8);
        s[9] = (byte) programNumber;
        s[10] = (byte) (0xE0 | ((pmtPid >> 8) & 0x1F));
        s[11] = (byte) pmtPid;
        Sections.writeCrc(s);
        return s;
    }
}
