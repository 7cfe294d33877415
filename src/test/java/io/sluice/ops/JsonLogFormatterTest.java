package io.sluice.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sluice.events.FailoverTriggered;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
    @Test
    void anEventLineIsOneJsonObjectWithItsFieldsAndNoUrls() {
        FailoverTriggered e = new FailoverTriggered("abc", "http://p.tv/live/user/secret/1.ts", "http://b.tv/1.ts",
                0, 1, "chunk_timeout", 2, false, java.util.Map.of("channel_id", "7"), Instant.now());
        LogRecord r = new LogRecord(Level.INFO, "failover_triggered stream=abc reason=chunk_timeout");
        r.setLoggerName("io.sluice.events");
        r.setParameters(new Object[]{e});
        String line = new JsonLogFormatter().format(r);
        assertEquals(1, line.strip().split("\n").length);
        JsonObject o = Json.createReader(new StringReader(line)).readObject();
        assertEquals("failover_triggered", o.getString("event"));
        assertEquals("abc", o.getString("stream_id"));
        assertEquals("chunk_timeout", o.getString("reason"));
        assertEquals("INFO", o.getString("level"));
        assertFalse(line.contains("secret"), "provider URLs stay out of logs");
    }
}
