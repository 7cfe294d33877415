package io.sluice.ts;

import java.nio.charset.StandardCharsets;

/** A PMT entry's descriptors (EN 300 468), walked in order: what names a private stream's codec. */
final class Descriptors {
    /** Tag of the registration descriptor, whose body starts with a four-character format identifier. */
    private static final int REGISTRATION = 0x05;

    private Descriptors() {
    }

    /** What one descriptor says: its tag, and the format identifier when it is a registration (else null). */
    interface Look<T> {
        T at(int tag, String formatIdentifier);
    }

    /** The first answer {@code look} gives over {@code d}'s descriptors in order; null when none answers. */
    static <T> T first(byte[] d, Look<T> look) {
        for (int i = 0; i + 1 < d.length; i += 2 + (d[i + 1] & 0xFF)) {
            int tag = d[i] & 0xFF;
            String id = tag == REGISTRATION && i + 5 < d.length
                    ? new String(d, i + 2, 4, StandardCharsets.US_ASCII) : null;
            T answer = look.at(tag, id);
            if (answer != null) {
                return answer;
            }
        }
        return null;
    }
}
