package io.sluice.relay;

import io.sluice.events.ClientConnected;
import io.sluice.events.ClientDisconnected;
import io.sluice.events.Events;
import io.sluice.streams.PlayerIdentity;
import io.sluice.streams.Stream;
import io.sluice.streams.StreamRegistry;
import io.sluice.web.ServletProblems;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/** {@code GET/HEAD /stream/{id}}: live MPEG-TS to players, asynchronous end to end (SPEC 4, 6). */
@WebServlet(name = StreamServlet.NAME, urlPatterns = "/stream/*", asyncSupported = true)
public class StreamServlet extends HttpServlet {
    public static final String NAME = "sluice-stream";

    @Inject
    StreamRegistry registry;
    @Inject
    LiveRelays relays;
    @Inject
    Events events;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Stream> found = streamOf(req);
        if (found.isEmpty()) {
            ServletProblems.send(resp, 404, "Stream not found");
            return;
        }
        Stream stream = found.get();
        PlayerIdentity who = PlayerIdentity.of(req, stream.id());
        Stream.Attachment session = stream.connect(who);
        if (session.newSession()) {
            events.fire(new ClientConnected(stream.id(), who.clientId(), who.ipAddress(), who.userAgent(),
                    who.username(), Instant.now()));
        }
        AsyncContext async = req.startAsync();
        // A live response has no natural end; it ends with the player, the upstream or the stream.
        async.setTimeout(0);
        ServletOutputStream out = resp.getOutputStream();
        LiveRelay relay = relays.relayFor(stream);
        ClientTap tap = new ClientTap(async, resp, out, stream, session.client(), relay, () -> {
            if (stream.disconnect(session.client())) {
                events.fire(new ClientDisconnected(stream.id(), who.clientId(), session.client().bytesServed(),
                        Instant.now()));
            }
        });
        async.addListener(tap);
        out.setWriteListener(tap);
        relay.attach(tap);
    }

    /** Players probe with HEAD; answering from what we know avoids opening an upstream for nothing. */
    @Override
    protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (streamOf(req).isEmpty()) {
            ServletProblems.send(resp, 404, "Stream not found");
            return;
        }
        resp.setStatus(200);
        resp.setContentType("video/mp2t");
        resp.setHeader("Cache-Control", "no-cache, no-store");
        resp.setHeader("Access-Control-Allow-Origin", "*");
    }

    private Optional<Stream> streamOf(HttpServletRequest req) {
        String info = req.getPathInfo();
        if (info == null || info.length() < 2) {
            return Optional.empty();
        }
        String id = info.substring(1);
        int slash = id.indexOf('/');
        if (slash >= 0) {
            id = id.substring(0, slash);
        }
        int dot = id.indexOf('.');
        if (dot >= 0) {
            id = id.substring(0, dot); // players like /stream/{id}.ts
        }
        return registry.find(id);
    }
}
