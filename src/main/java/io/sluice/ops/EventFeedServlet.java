package io.sluice.ops;

import io.sluice.config.Settings;
import io.sluice.support.AsyncPlayerResponse;
import io.sluice.support.DaemonThreads;
import io.sluice.web.ApiTokens;
import io.sluice.web.ServletProblems;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /sse/events}: Server-Sent Events for the console. Management data, so it needs the token (header,
 * or {@code api_token} for m3u-proxy clients) or a single-use {@code ticket} from {@link FeedTicketsResource}: a
 * browser's EventSource cannot send headers, and a token in a URL ends up in access logs. Non-blocking writes; each
 * subscriber keeps at most {@value #MAX_QUEUED} frames and drops the oldest beyond that.
 */
@WebServlet(urlPatterns = "/sse/events", asyncSupported = true)
public class EventFeedServlet extends HttpServlet {
    static final int MAX_QUEUED = 1000;

    @Inject
    EventFeed feed;
    @Inject
    Settings settings;
    @Inject
    FeedTickets tickets;

    private ScheduledExecutorService keepAlive;

    @PostConstruct
    void start() {
        keepAlive = DaemonThreads.timer("sluice-sse-keepalive");
        keepAlive.scheduleAtFixedRate(() -> feed.keepAlive(), 15, 15, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        keepAlive.shutdownNow();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String ticket = req.getParameter("ticket");
        if (settings.apiToken().isPresent() && ticket != null) {
            if (!tickets.redeem(ticket)) {
                ServletProblems.send(resp, 403, "Invalid, expired or used ticket: ask POST /events/tickets again");
                return;
            }
        } else if (settings.apiToken().isPresent()) {
            String presented = req.getHeader("X-API-Token");
            if (presented == null || presented.isEmpty()) {
                presented = req.getParameter("api_token");
            }
            if (presented == null || presented.isEmpty()) {
                resp.setHeader("WWW-Authenticate", "Bearer");
                ServletProblems.send(resp, 401, "API token required. Provide token via X-API-Token header or "
                        + "api_token query parameter.");
                return;
            }
            if (!ApiTokens.matches(settings.apiToken().get(), presented)) {
                ServletProblems.send(resp, 403, "Invalid API token");
                return;
            }
        }
        resp.setStatus(200);
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-cache, no-store");
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        ServletOutputStream out = resp.getOutputStream();
        Subscriber s = new Subscriber(async, out);
        async.addListener(s);
        out.setWriteListener(s);
        feed.subscribe(s);
        s.offer(": connected\n\n");
    }

    /** One console connection. */
    final class Subscriber extends AsyncPlayerResponse {
        private final AsyncContext async;
        private final ServletOutputStream out;
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        private final AtomicBoolean finished = new AtomicBoolean();

        Subscriber(AsyncContext async, ServletOutputStream out) {
            this.async = async;
            this.out = out;
        }

        void offer(String frame) {
            synchronized (this) {
                if (queue.size() == MAX_QUEUED) {
                    queue.pollFirst();
                }
                queue.addLast(frame.getBytes(StandardCharsets.UTF_8));
            }
            onWritePossible();
        }

        @Override
        public void onWritePossible() {
            boolean gone = false;
            synchronized (this) {
                try {
                    while (!finished.get() && !queue.isEmpty() && out.isReady()) {
                        out.write(queue.pollFirst());
                        if (out.isReady()) {
                            out.flush(); // a console wants each event as it happens
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    gone = true;
                }
            }
            if (gone) {
                finish();
            }
        }

        @Override
        protected void finish() {
            if (finished.compareAndSet(false, true)) {
                feed.unsubscribe(this);
                complete(async);
            }
        }
    }
}
