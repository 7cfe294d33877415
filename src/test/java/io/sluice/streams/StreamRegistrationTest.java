package io.sluice.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.config.Settings;
import io.sluice.web.ApiException;
import jakarta.json.Json;
import java.io.StringReader;
import java.lang.reflect.RecordComponent;
import org.junit.jupiter.api.Test;

/** The documented body ({@link StreamRegistration}, in /openapi.json) and the parser agree on every field. */
class StreamRegistrationTest {
    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }

    /** A value of the wrong JSON type for a component of this Java type. */
    static String wrongValue(Class<?> type) {
        return type == String.class ? "[1]" : "\"not-" + type.getSimpleName() + "\"";
    }

    @Test
    void theParserChecksEveryDocumentedField() {
        StreamRequestParser parser = new StreamRequestParser(Settings.from(n -> null));
        for (RecordComponent c : StreamRegistration.class.getRecordComponents()) {
            String field = snake(c.getName());
            String body = field.equals("url") ? "{\"url\":" + wrongValue(c.getType()) + "}"
                    : "{\"url\":\"http://p.tv/a.ts\",\"" + field + "\":" + wrongValue(c.getType()) + "}";
            ApiException e = assertThrows(ApiException.class,
                    () -> parser.parse(Json.createReader(new StringReader(body)).readValue()), field);
            assertEquals(422, e.status());
            assertTrue(e.getMessage().startsWith(field), field + ": " + e.getMessage());
        }
    }
}
