package io.sluice.store;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.Optional;
import java.util.logging.Logger;

/** Records to and from the JSON text the store keeps. A document that no longer reads is skipped, not fatal. */
public final class Documents {
    private static final Logger LOG = Logger.getLogger(Documents.class.getName());
    // Jsonb is thread-safe and costly to build: one for the application.
    private static final Jsonb JSONB = JsonbBuilder.create();

    private Documents() {
    }

    public static String write(Object record) {
        return JSONB.toJson(record);
    }

    public static <T> Optional<T> read(String document, Class<T> type) {
        try {
            return Optional.ofNullable(JSONB.fromJson(document, type));
        } catch (RuntimeException e) { // JsonbException, or a record's own checks failing on a strange document
            // Written by another version, or by hand: keeping the rest running matters more than this entry.
            LOG.warning(() -> "Skipping a stored " + type.getSimpleName() + " that does not read: " + e.getMessage());
            return Optional.empty();
        }
    }
}
