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
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code /}, {@code /health}, {@code /info} and {@code /test-connection}, as m3u-proxy has them. */
@Path("")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
    @Inject
    Settings settings;
    @Inject
    ProxyStats stats;
    @Inject
    UpstreamClient upstream;
    @Inject
    ServerInfo serverInfo;

    /** m3u-proxy's {@code GET /} ({@code uptime}, {@code stats}), plus Sluice's {@code name} and {@code uptime_seconds}. */
    public record Root(String status, String message, String version, long uptime, ProxyStats.Summary stats,
                       String name, long uptimeSeconds) {
    }

    public record ConnectionTest(boolean success, Integer statusCode, String message, String urlTested) {
    }

    @GET
    public Root root() {
        ProxyStats.Summary summary = stats.summary();
        return new Root("running", "Sluice is running", ProxyStats.VERSION, summary.uptimeSeconds(), summary,
                "Sluice", summary.uptimeSeconds());
    }

    @GET
    @Path("info")
    public ServerInfo.Info info() {
        return serverInfo.info();
    }

    /** Fetches the head of a URL as a stream would (user agent, redirects, timeouts) and reports what came back. */
    @POST
    @Path("test-connection")
    @Consumes(MediaType.WILDCARD)
    @JsonBody(ConnectionTestRequest.class)
    public ConnectionTest testConnection(InputStream body) {
        JsonValue v = JsonBodies.read(body);
        if (v.getValueType() != JsonValue.ValueType.OBJECT
                || ((JsonObject) v).get("url") == null
                || ((JsonObject) v).get("url").getValueType() != JsonValue.ValueType.STRING) {
            throw ApiException.badInput("url is required and must be a string");
        }
        String url = SourceUrls.check("url", ((JsonObject) v).getString("url"));
        CompletableFuture<UpstreamResponse> head = new CompletableFuture<>();
        FlowControlledConsumer[] consumer = new FlowControlledConsumer[1];
        consumer[0] = new FlowControlledConsumer(new BodySink() {
            @Override
            public void onResponse(UpstreamResponse r) {
                head.complete(r);
                consumer[0].abandon(); // the head is all a test needs
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
        }, URI.create(url));
        var exchange = upstream.open(new UpstreamRequest(URI.create(url), settings.defaultUserAgent(),
                java.util.Map.of()), consumer[0]);
        try {
            UpstreamResponse r = head.get(settings.connectTimeout().plus(settings.readTimeout()).toMillis() + 1000,
                    TimeUnit.MILLISECONDS);
            boolean ok = r.status() < 400;
            return new ConnectionTest(ok, r.status(), ok ? "Connection successful" : "Upstream answered HTTP "
                    + r.status(), url);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String why = e.getCause() != null ? e.getCause().getMessage() : "no answer in time";
            return new ConnectionTest(false, null, "Connection failed: " + why, url);
        } finally {
            consumer[0].abandon();
            exchange.cancel(true);
        }
    }
}
