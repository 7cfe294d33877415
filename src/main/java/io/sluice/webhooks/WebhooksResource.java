package io.sluice.webhooks;

import io.sluice.web.ApiException;
import io.sluice.web.JsonBodies;
import io.sluice.web.JsonBody;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
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
import java.util.concurrent.TimeUnit;

/** m3u-proxy's webhook API (SPEC 10): register, list with delivery figures, remove, test. */
@Path("webhooks")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class WebhooksResource {
    @Inject
    WebhookDispatcher dispatcher;

    public record Registered(String message, String url, List<String> events) {
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
        return new Registered("Webhook registered", spec.url(), spec.events().stream().sorted().toList());
    }

    @GET
    public Listing list() {
        List<WebhookStats> all = dispatcher.stats();
        return new Listing(all, all.size(), dispatcher.intakeDropped());
    }

    @DELETE
    public Message remove(@QueryParam("webhook_url") String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.badInput("webhook_url is required");
        }
        if (!dispatcher.remove(url)) {
            throw ApiException.notFound("Webhook not found");
        }
        return new Message("Webhook removed");
    }

    @POST
    @Path("test")
    public TestResult test(@QueryParam("webhook_url") String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.badInput("webhook_url is required");
        }
        var sent = dispatcher.test(url).orElseThrow(() -> ApiException.notFound("Webhook not found"));
        try {
            boolean ok = sent.get(130, TimeUnit.SECONDS);
            return new TestResult(ok, ok ? "Test webhook delivered" : "Webhook answered with an error status", url);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new TestResult(false, "Webhook unreachable or too slow", url);
        }
    }
}
