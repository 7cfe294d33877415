package io.sluice.webhooks;

import io.sluice.web.ApiException;
import io.sluice.web.JsonBodies;
import io.sluice.web.JsonBody;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.List;

/** m3u-proxy's webhook API (SPEC 10): register, list with delivery figures, remove ({@link WebhookTestResource} tests). */
@Path("webhooks")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class WebhooksResource {
    @Inject
    WebhookDispatcher dispatcher;

    /** m3u-proxy's {@code {message, webhook_url, events}}; {@code url} is Sluice's earlier name. */
    public record Registered(String message, String webhookUrl, List<String> events, String url) {
    }

    public record Listing(List<WebhookStats> webhooks, int total, long intakeDropped) {
    }

    public record Message(String message) {
    }

    public record TestResult(boolean success, String message, String webhookUrl) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @JsonBody(WebhookRegistration.class)
    public Registered add(InputStream body) {
        WebhookSpec spec = WebhookRequestParser.parse(JsonBodies.read(body));
        dispatcher.register(spec);
        return new Registered("Webhook added successfully", spec.url(), spec.events().stream().sorted().toList(),
                spec.url());
    }

    @GET
    public Listing list() {
        List<WebhookStats> all = dispatcher.stats();
        return new Listing(all, all.size(), dispatcher.intakeDropped());
    }

    /**
     * {@code webhook_url} from the query (m3u-proxy) or from a JSON body {@code {"webhook_url": …}}, which is how
     * M3U Editor sends it; the query wins when both are there.
     */
    @DELETE
    @Consumes(MediaType.WILDCARD)
    public Message remove(@QueryParam("webhook_url") String query, InputStream body) {
        String url = query != null && !query.isBlank() ? query : fromBody(body);
        if (url == null || url.isBlank()) {
            throw ApiException.badInput("webhook_url is required (query parameter or JSON body)");
        }
        if (!dispatcher.remove(url)) {
            throw ApiException.notFound("Webhook not found");
        }
        return new Message("Webhook " + url + " removed successfully");
    }

    private static String fromBody(InputStream body) {
        JsonValue v = JsonBodies.readOptional(body);
        if (v == null) {
            return null;
        }
        if (v.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ApiException.badInput("Request body must be a JSON object with webhook_url");
        }
        JsonValue url = v.asJsonObject().get("webhook_url");
        if (url == null || url.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (url.getValueType() != JsonValue.ValueType.STRING) {
            throw ApiException.badInput("webhook_url must be a string");
        }
        return ((JsonString) url).getString();
    }
}
