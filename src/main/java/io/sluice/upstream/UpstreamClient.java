package io.sluice.upstream;

import io.sluice.support.DaemonThreads;
import io.sluice.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.URIAuthority;
import org.apache.hc.client5.http.impl.DefaultRedirectStrategy;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/** The one HttpClient 5 async client every upstream request goes through, configured once. */
@ApplicationScoped
public class UpstreamClient {
    /** Headers a registration may not set: they belong to the connection, not the request. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "content-length", "host",
            "range");

    @Inject
    Settings settings;

    private CloseableHttpAsyncClient client;
    private final UpstreamSessions sessions = new UpstreamSessions();
    private java.util.concurrent.ScheduledExecutorService timer;

    @PostConstruct
    void start() {
        timer = DaemonThreads.timer("sluice-upstream-deadlines");
        Timeout connect = Timeout.of(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        Timeout headers = Timeout.of(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
        client = HttpAsyncClients.custom()
                // Two reactor threads serve every upstream: the relay never parks a thread per stream.
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(2).setTcpNoDelay(true).build())
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        // Bounded pool; one provider may legitimately hold many streams.
                        .setMaxConnTotal(settings.maxUpstreamConnections())
                        .setMaxConnPerRoute(settings.maxUpstreamConnections())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(connect)
                                .setSocketTimeout(headers)
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(connect)
                        .setResponseTimeout(headers)
                        // Redirects are followed (sticky locks read the final URL); loops and >10 hops fail.
                        .setRedirectsEnabled(true)
                        .setMaxRedirects(10)
                        .setCircularRedirectsAllowed(false)
                        .build())
                // A proxy must not share provider cookies between streams.
                .disableCookieManagement()
                // Bytes go to players exactly as the provider sent them.
                .disableContentCompression()
                // Retries are the recovery episode's decision, not the client's.
                .disableAutomaticRetries()
                .disableAuthCaching()
                // A stream's own headers (credentials, often) go only to its own hosts: stripped from any hop,
                // redirects included, whose origin the request does not list. So a redirect to another host is
                // followed without them, as curl does, rather than refused.
                .addRequestInterceptorLast(UpstreamClient::scopeHeaders)
                .setRedirectStrategy(new DefaultRedirectStrategy() {
                    @Override
                    public boolean isRedirectAllowed(HttpHost currentTarget, HttpHost newTarget, HttpRequest redirect,
                                                     HttpContext context) {
                        return true;
                    }
                })
                // The reactor reports its own trouble here; closing it while a worker still runs makes it trip
                // over its closed selector, which is the shutdown we asked for, not an error worth a stack trace.
                .setIoReactorExceptionCallback(this::reactorTrouble)
                .setIOSessionListener(sessions)
                .build();
        client.start();
    }

    private volatile boolean stopping;

    /** Upstream connections open now (each is remembered until it closes). */
    int openConnections() {
        return sessions.size();
    }

    private void reactorTrouble(Exception e) {
        if (stopping && e instanceof java.nio.channels.ClosedSelectorException) {
            return;
        }
        java.util.logging.Logger.getLogger(UpstreamClient.class.getName())
                .log(java.util.logging.Level.WARNING, "Upstream I/O reactor failure", e);
    }

    @PreDestroy
    void stop() {
        stopping = true;
        client.close(CloseMode.IMMEDIATE);
        timer.shutdownNow();
    }

    /**
     * Fails {@code future} with a {@link java.util.concurrent.TimeoutException} unless it completes within
     * {@code timeout}. On this application's own timer, not the JDK's shared one: continuations then run on a
     * thread of this deployment.
     */
    public <T> CompletableFuture<T> deadline(CompletableFuture<T> future, Duration timeout) {
        var task = timer.schedule(() -> future.completeExceptionally(new java.util.concurrent.TimeoutException(
                "no answer within " + timeout.toMillis() + " ms")), timeout.toNanos(), TimeUnit.NANOSECONDS);
        future.whenComplete((r, e) -> task.cancel(false));
        return future;
    }

    public boolean isRunning() {
        if (client == null) {
            return false;
        }
        var status = client.getStatus();
        // ACTIVE once the reactor threads run; INACTIVE only for an instant after start().
        return status == org.apache.hc.core5.reactor.IOReactorStatus.ACTIVE
                || status == org.apache.hc.core5.reactor.IOReactorStatus.INACTIVE;
    }

    /** A small JSON request and its answer (the resolver callback); at most 64 KiB of the answer is read. */
    public CompletableFuture<SmallReply> postJson(URI uri, String json, Duration timeout) {
        return postJson(uri, json, Map.of(), timeout);
    }

    /** Same, with extra headers (a webhook's own, its signature). */
    public CompletableFuture<SmallReply> postJson(URI uri, String json, Map<String, String> headers,
                                                          Duration timeout) {
        SimpleRequestBuilder b = SimpleRequestBuilder.post(uri)
                .setBody(json, ContentType.APPLICATION_JSON)
                .setHeader(HttpHeaders.USER_AGENT, "Sluice");
        headers.forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                b.setHeader(name, value);
            }
        });
        SimpleHttpRequest request = b.build();
        Timeout t = Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS);
        request.setConfig(RequestConfig.custom().setConnectTimeout(t).setResponseTimeout(t)
                .setConnectionRequestTimeout(t).setRedirectsEnabled(false).build());
        CompletableFuture<SmallReply> result = new CompletableFuture<>();
        Future<SmallReply> exchange = client.execute(SimpleRequestProducer.create(request),
                new SmallReplyConsumer(), new FutureCallback<>() {
                    @Override
                    public void completed(SmallReply r) {
                        result.complete(r);
                    }

                    @Override
                    public void failed(Exception ex) {
                        result.completeExceptionally(ex);
                    }

                    @Override
                    public void cancelled() {
                        result.cancel(false);
                    }
                });
        // The whole call, not only each phase, is bounded.
        deadline(result, timeout);
        result.whenComplete((r, e) -> {
            if (e != null) {
                exchange.cancel(true);
            }
        });
        return result;
    }

    private static final String HEADER_SCOPE = "sluice.header-scope";

    /** The stream headers of one exchange and the origins they may go to. */
    private record HeaderScope(Set<String> names, Set<String> origins) {
    }

    private static void scopeHeaders(HttpRequest request, EntityDetails entity, HttpContext context) {
        if (!(context.getAttribute(HEADER_SCOPE) instanceof HeaderScope scope) || scope.names().isEmpty()) {
            return;
        }
        URIAuthority authority = request.getAuthority();
        String origin = authority == null || request.getScheme() == null ? null
                : Origins.of(request.getScheme(), authority.getHostName(), authority.getPort());
        if (origin == null || !scope.origins().contains(origin)) {
            scope.names().forEach(request::removeHeaders);
        }
    }

    /** Starts an exchange whose body is pulled into {@code consumer} at the consumer's pace. */
    public Future<Void> open(UpstreamRequest request, FlowControlledConsumer consumer) {
        AsyncRequestBuilder b = AsyncRequestBuilder.create(request.method()).setUri(request.uri())
                .setHeader(HttpHeaders.USER_AGENT, request.userAgent())
                .setHeader(HttpHeaders.ACCEPT, "*/*");
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                b.setHeader(h.getKey(), h.getValue());
            }
        }
        if (request.range() != null) {
            b.setHeader(HttpHeaders.RANGE, request.range());
        }
        AsyncRequestProducer producer = b.build();
        HttpClientContext context = HttpClientContext.create();
        Set<String> names = new java.util.HashSet<>();
        request.headers().keySet().forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
        names.removeAll(HOP_BY_HOP);
        context.setAttribute(HEADER_SCOPE, new HeaderScope(Set.copyOf(names), request.headerOrigins()));
        consumer.closeWith(sessions, context);
        return client.execute(producer, consumer, null, context, new FutureCallback<>() {
            @Override
            public void completed(Void result) {
                // The consumer has already reported the end.
            }

            @Override
            public void failed(Exception ex) {
                consumer.failed(ex);
            }

            @Override
            public void cancelled() {
                consumer.abandon();
            }
        });
    }
}
