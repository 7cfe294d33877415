package io.sluice.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.web.ApiException;
import jakarta.json.Json;
import java.io.StringReader;
import java.lang.reflect.RecordComponent;
import org.junit.jupiter.api.Test;

/** The documented webhook body ({@link WebhookRegistration}) and the parser agree on every field. */
class WebhookRegistrationTest {
    @Test
    void theParserChecksEveryDocumentedField() {
        for (RecordComponent c : WebhookRegistration.class.getRecordComponents()) {
            String field = c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
            String wrong = c.getType() == String.class ? "[1]" : "\"x\"";
            String body = field.equals("url") ? "{\"url\":" + wrong + "}"
                    : "{\"url\":\"http://hook.example/\",\"" + field + "\":" + wrong + "}";
            ApiException e = assertThrows(ApiException.class,
                    () -> WebhookRequestParser.parse(Json.createReader(new StringReader(body)).readValue()), field);
            assertEquals(422, e.status());
            assertTrue(e.getMessage().startsWith(field), field + ": " + e.getMessage());
        }
    }
}
