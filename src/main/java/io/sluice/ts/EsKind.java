package io.sluice.ts;

/** What an elementary stream carries, from its PMT entry: the splice maps streams onto players' PIDs by kind. */
public enum EsKind {
    VIDEO, AUDIO, OTHER;

    /** From the PMT's stream_type, and for private data (0x06) the DVB descriptors that say which codec. */
    public static EsKind of(int streamType, byte[] descriptors) {
        switch (streamType) {
            case 0x01, 0x02, 0x10, 0x1B, 0x1F, 0x20, 0x24, 0x33, 0x42, 0xD1, 0xEA:
                return VIDEO;
            case 0x03, 0x04, 0x0F, 0x11, 0x1C, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87:
                return AUDIO;
            case 0x06:
                return privateData(descriptors);
            default:
                return OTHER;
        }
    }

    /** DVB carries AC-3, E-AC-3, DTS and AAC as private data, named by a descriptor (EN 300 468). */
    private static EsKind privateData(byte[] d) {
        EsKind kind = Descriptors.first(d, (tag, id) -> {
            if (tag == 0x6A || tag == 0x7A || tag == 0x7B || tag == 0x7C) {
                return AUDIO;
            }
            if (id == null) {
                return null;
            }
            if (id.equals("AC-3") || id.equals("EAC3") || id.startsWith("DTS") || id.equals("Opus")) {
                return AUDIO;
            }
            return id.equals("HEVC") || id.equals("VC-1") ? VIDEO : null;
        });
        return kind == null ? OTHER : kind;
    }
}
