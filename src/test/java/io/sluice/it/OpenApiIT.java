package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** {@code /openapi.json}: OpenAPI 3, generated from the deployed resources, listing every SPEC 3.2 route. */
class OpenApiIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }

    @Test
    void describesEveryManagementRouteWithItsSchemas() {
        Api.Reply r = api.send(api.request("/openapi.json").GET().build());
        assertEquals(200, r.status());
        JsonObject doc = r.json();
        assertTrue(doc.getString("openapi").startsWith("3."));
        assertTrue(doc.getJsonObject("info").containsKey("title") && doc.getJsonObject("info").containsKey("version"));
        JsonObject paths = doc.getJsonObject("paths");
        Map<String, String[]> routes = Map.ofEntries(
                Map.entry("/streams", new String[]{"get", "post"}),
                Map.entry("/streams/{id}", new String[]{"get", "delete"}),
                Map.entry("/streams/{id}/failover", new String[]{"post"}),
                Map.entry("/streams/by-metadata", new String[]{"get", "delete"}),
                Map.entry("/streams/counts-by-metadata", new String[]{"get"}),
                Map.entry("/streams/oldest-by-metadata", new String[]{"delete"}),
                Map.entry("/clients", new String[]{"get"}),
                Map.entry("/stats", new String[]{"get"}),
                Map.entry("/stats/streams", new String[]{"get"}),
                Map.entry("/stats/clients", new String[]{"get"}),
                Map.entry("/stats/detailed", new String[]{"get"}),
                Map.entry("/", new String[]{"get"}),
                Map.entry("/health", new String[]{"get"}),
                Map.entry("/info", new String[]{"get"}),
                Map.entry("/test-connection", new String[]{"post"}),
                Map.entry("/webhooks", new String[]{"get", "post", "delete"}),
                Map.entry("/webhooks/test", new String[]{"post"}),
                Map.entry("/sources/invalid", new String[]{"get", "delete"}),
                Map.entry("/metrics", new String[]{"get"}),
                Map.entry("/transcode", new String[]{"post"}),
                Map.entry("/transcode/profiles", new String[]{"get"}));
        routes.forEach((path, methods) -> {
            assertTrue(paths.containsKey(path), "missing " + path + " in " + paths.keySet());
            for (String m : methods) {
                assertTrue(paths.getJsonObject(path).containsKey(m), "missing " + m + " " + path);
            }
        });
        JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
        JsonObject register = schemas.getJsonObject("StreamRegistration").getJsonObject("properties");
        assertTrue(register.containsKey("url") && register.containsKey("failover_urls")
                && register.containsKey("use_sticky_session"), register.toString());
        JsonObject transcode = schemas.getJsonObject("TranscodeRegistration").getJsonObject("properties");
        assertTrue(transcode.containsKey("profile") && transcode.containsKey("profile_variables"), transcode.toString());
        JsonObject stats = schemas.getJsonObject("StreamStats").getJsonObject("properties");
        assertTrue(stats.containsKey("stream_id") && stats.containsKey("current_failover_index")
                && stats.containsKey("sticky"));
        assertEquals("#/components/schemas/StreamRegistration", paths.getJsonObject("/streams").getJsonObject("post")
                .getJsonObject("requestBody").getJsonObject("content").getJsonObject("application/json")
                .getJsonObject("schema").getString("$ref"));
        // Every reference resolves.
        Matcher m = Pattern.compile("\"\\$ref\":\"#/components/schemas/([^\"]+)\"").matcher(r.body());
        while (m.find()) {
            assertTrue(schemas.containsKey(m.group(1)), "dangling $ref " + m.group(1));
        }
        assertTrue(schemas.values().stream().allMatch(v -> v.getValueType() == JsonValue.ValueType.OBJECT));
    }
}
