package io.sluice.webhooks;

import io.sluice.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /webhooks/test}: sends a test event to one webhook now and answers with how it went. The answer
 * waits for the webhook (up to its own timeout), no request thread does: the delivery's future completes the
 * response. Application-scoped and without a Weld request context (web.xml), as it completes on another thread.
 */
@Path("webhooks/test")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class WebhookTestResource {
    @Inject
    WebhookDispatcher dispatcher;

    @POST
    public CompletionStage<WebhooksResource.TestResult> test(@QueryParam("webhook_url") String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.badInput("webhook_url is required");
        }
        return dispatcher.test(url).orElseThrow(() -> ApiException.notFound("Webhook not found"))
                .handle((ok, error) -> error != null
                        ? new WebhooksResource.TestResult(false, "Webhook unreachable or too slow", url)
                        : new WebhooksResource.TestResult(ok, ok ? "Test webhook delivered"
                                : "Webhook answered with an error status", url));
    }
}
