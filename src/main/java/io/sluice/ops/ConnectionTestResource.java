package io.sluice.ops;

import io.sluice.config.Settings;
import io.sluice.streams.SourceUrls;
import io.sluice.upstream.BodySink;
import io.sluice.upstream.FlowControlledConsumer;
import io.sluice.upstream.UpstreamClient;
import io.sluice.upstream.UpstreamFailure;
import io.sluice.upstream.UpstreamRequest;
import io.sluice.upstream.UpstreamResponse;
import io.sluice.web.ApiException;
import io.sluice.web.JsonBodies;
import io.sluice.web.JsonBody;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /test-connection}, as m3u-proxy has it: fetches the head of a URL as a stream would (user agent,
 * redirects, timeouts) and reports what came back. Asynchronous: the answer waits on the upstream, no request
 * thread does. Application-scoped and without a Weld request context (web.xml), because the response is
 * completed on another thread than the one the request arrived on.
 */
@Path("test-connection")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionTestResource {
    @Inject
    Settings settings;
    @Inject
    UpstreamClient upstream;

    public record ConnectionTest(boolean success, Integer statusCode, String message, String urlTested) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @JsonBody(ConnectionTestRequest.class)
    public CompletionStage<ConnectionTest> testConnection(InputStream body) {
        JsonValue v = JsonBodies.read(body);
        if (v.getValueType() != JsonValue.ValueType.OBJECT
                || ((JsonObject) v).get("url") == null
                || ((JsonObject) v).get("url").getValueType() != JsonValue.ValueType.STRING) {
            throw ApiException.badInput("url is required and must be a string");
        }
        String url = SourceUrls.check("url", ((JsonObject) v).getString("url"));
        CompletableFuture<UpstreamResponse> head = new CompletableFuture<>();
        FlowControlledConsumer consumer = new FlowControlledConsumer(new HeadOnly(head), URI.create(url));
        var exchange = upstream.open(new UpstreamRequest(URI.create(url), settings.defaultUserAgent(), Map.of()),
                consumer);
        upstream.deadline(head, settings.connectTimeout().plus(settings.readTimeout()).plusSeconds(1));
        return head.handle((r, error) -> {
            consumer.abandon();
            exchange.cancel(true);
            if (error != null) {
                Throwable why = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                return new ConnectionTest(false, null, "Connection failed: " + (why instanceof TimeoutException
                        || why.getMessage() == null ? "no answer in time" : why.getMessage()), url);
            }
            boolean ok = r.status() < 400;
            return new ConnectionTest(ok, r.status(), ok ? "Connection successful" : "Upstream answered HTTP "
                    + r.status(), url);
        });
    }

    /** Takes the head and nothing more: the head is all a test needs. */
    private static final class HeadOnly implements BodySink {
        private final CompletableFuture<UpstreamResponse> head;

        HeadOnly(CompletableFuture<UpstreamResponse> head) {
            this.head = head;
        }

        @Override
        public void onResponse(UpstreamResponse r) {
            head.complete(r);
        }

        @Override
        public void onData(ByteBuffer data) {
            data.position(data.limit());
        }

        @Override
        public long capacity() {
            return 0;
        }

        @Override
        public void onEnd() {
        }

        @Override
        public void onFailure(UpstreamFailure failure) {
            head.completeExceptionally(new RuntimeException(failure.message()));
        }
    }
}
