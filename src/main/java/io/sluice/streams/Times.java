package io.sluice.streams;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** ISO-8601 UTC with an explicit offset, as SPEC 3.2 asks for every timestamp. */
public final class Times {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

    private Times() {
    }

    public static String iso(Instant t) {
        return t == null ? null : ISO.format(t);
    }
}
