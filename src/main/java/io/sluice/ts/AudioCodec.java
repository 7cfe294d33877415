package io.sluice.ts;

/**
 * Which audio codec an elementary stream carries, from its PMT entry, as far as a player's decoder cares: two
 * stream types of one codec (MPEG-1 and MPEG-2 audio, AC-3 as ATSC or as DVB private data) are one codec.
 */
public enum AudioCodec {
    AAC("aac"),
    AAC_LATM(null),
    MPEG("mp2"),
    AC3("ac3"),
    EAC3("eac3"),
    /** Not audio, or audio this proxy does not tell apart (DTS, Opus, private types): never conformed. */
    UNKNOWN(null);

    private final String encoder;

    AudioCodec(String encoder) {
        this.encoder = encoder;
    }

    /** The FFmpeg encoder whose output in MPEG-TS players take for this codec, or null when there is none here. */
    public String encoder() {
        return encoder;
    }

    public static AudioCodec of(Pmt.Es es) {
        switch (es.streamType()) {
            case 0x0F:
                return AAC;
            case 0x11:
                return AAC_LATM;
            case 0x03, 0x04:
                return MPEG;
            case 0x81:
                return AC3;
            case 0x87:
                return EAC3;
            case 0x06:
                return privateData(es.descriptors());
            default:
                return UNKNOWN;
        }
    }

    /** DVB names the codec of private data by a descriptor (EN 300 468) or a registration (format identifier). */
    private static AudioCodec privateData(byte[] d) {
        AudioCodec codec = Descriptors.first(d, (tag, id) -> {
            if (tag == 0x6A || "AC-3".equals(id)) {
                return AC3;
            }
            if (tag == 0x7A || "EAC3".equals(id)) {
                return EAC3;
            }
            return tag == 0x7C ? AAC : null;
        });
        return codec == null ? UNKNOWN : codec;
    }
}
