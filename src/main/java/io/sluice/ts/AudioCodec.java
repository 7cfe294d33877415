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
        for (int i = 0; i + 1 < d.length; i += 2 + (d[i + 1] & 0xFF)) {
            int tag = d[i] & 0xFF;
            if (tag == 0x6A) {
                return AC3;
            }
            if (tag == 0x7A) {
                return EAC3;
            }
            if (tag == 0x7C) {
                return AAC;
            }
            if (tag == 0x05 && i + 5 < d.length) {
                String id = new String(d, i + 2, 4, java.nio.charset.StandardCharsets.US_ASCII);
                if (id.equals("AC-3")) {
                    return AC3;
                }
                if (id.equals("EAC3")) {
                    return EAC3;
                }
            }
        }
        return UNKNOWN;
    }
}
