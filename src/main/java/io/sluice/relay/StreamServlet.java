package io.sluice.relay;

import io.sluice.events.ClientConnected;
import io.sluice.events.ClientDisconnected;
import io.sluice.events.Events;
import io.sluice.streams.PlayerIdentity;
import io.sluice.streams.Stream;
import io.sluice.streams.StreamRegistry;
import io.sluice.vod.PassThrough;
import io.sluice.vod.VodDelivery;
import io.sluice.sources.Recovery;
import io.sluice.sources.RecoveryEpisode;
import io.sluice.upstream.UpstreamFailure;
import io.sluice.config.Settings;
import io.sluice.support.ContainerConnection;
import io.sluice.support.PlayerAdmission;
import io.sluice.support.PlayerHeaders;
import io.sluice.web.ServletProblems;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET/HEAD /stream/{id}}: live MPEG-TS through the shared relay, VOD through a resuming pass-through,
 * and HLS streams sent on to their playlist (SPEC 4, 5, 6, 8). Asynchronous end to end.
 */
@WebServlet(name = StreamServlet.NAME, urlPatterns = "/stream/*", asyncSupported = true)
public class StreamServlet extends HttpServlet {
    public static final String NAME = "sluice-stream";

    @Inject
    StreamRegistry registry;
    @Inject
    LiveRelays relays;
    @Inject
    Events events;
    @Inject
    VodDelivery delivery;
    @Inject
    Recovery recovery;
    @Inject
    PlayerAdmission admission;
    @Inject
    Settings settings;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PlayerHeaders.apply(resp);
        Optional<Stream> found = streamOf(req);
        if (found.isEmpty()) {
            ServletProblems.send(resp, 404, "Stream not found");
            return;
        }
        Stream stream = found.get();
        switch (stream.spec().kind()) {
            case HLS -> redirectToPlaylist(req, resp, stream);
            case VOD -> vod(req, resp, stream);
            default -> live(req, resp, stream);
        }
    }

    private void live(HttpServletRequest req, HttpServletResponse resp, Stream stream) throws IOException {
        if ("HEAD".equals(req.getMethod())) {
            liveHead(resp);
            return;
        }
        Optional<PlayerAdmission.Ticket> place = admission.admit(req.getRemoteAddr());
        if (place.isEmpty()) {
            admission.refuse(req, resp);
            return;
        }
        String noTranscoder = stream.spec().transcode() == null ? null : relays.transcoderRefusal(stream);
        if (noTranscoder != null) {
            place.get().release();
            ServletProblems.send(resp, 503, noTranscoder);
            return;
        }
        if (!relays.admit(stream)) {
            place.get().release();
            ServletProblems.send(resp, 503, "Provider connection limit reached for "
                    + URI.create(stream.sources().entryUrl()).getHost());
            return;
        }
        PlayerIdentity who = PlayerIdentity.of(req, stream.id());
        Stream.Attachment session = connect(stream, who);
        AsyncContext async = req.startAsync();
        // A live response has no natural end; it ends with the player, the upstream or the stream.
        async.setTimeout(0);
        // A paused player is kept (and moved to the live edge when it reads again) up to the pause limit.
        ContainerConnection.allowPausedWrites(resp, settings.playerPauseLimit());
        ServletOutputStream out = resp.getOutputStream();
        LiveRelay relay = relays.relayFor(stream);
        ServletPlayerOutput output = new ServletPlayerOutput(async, resp, out);
        ClientTap tap = new ClientTap(output, session.client().clientId(), n -> stream.served(session.client(), n),
                relay, playlistLocation(req, stream), () -> {
                    place.get().release();
                    disconnect(stream, session);
                });
        output.bind(tap);
        async.addListener(output);
        out.setWriteListener(output);
        relay.attach(tap);
    }

    private void vod(HttpServletRequest req, HttpServletResponse resp, Stream stream) throws IOException {
        Optional<PlayerAdmission.Ticket> place = admission.admit(req.getRemoteAddr());
        if (place.isEmpty()) {
            admission.refuse(req, resp);
            return;
        }
        Stream.Attachment session = connect(stream, PlayerIdentity.of(req, stream.id()));
        delivery.serve(req, resp, stream.spec(), stream.headerOrigins(), URI.create(stream.sources().requestUrl()),
                "video/mp4",
                resilience(stream), n -> stream.served(session.client(), n), () -> {
                    place.get().release();
                    disconnect(stream, session);
                });
    }

    /** A VOD request gets the stream's sticky locks and, before its first byte, its retries and failover. */
    private PassThrough.Sources resilience(Stream stream) {
        return new PassThrough.Sources() {
            private RecoveryEpisode episode;

            @Override
            public void responded(URI requested, URI finalUri) {
                recovery.responded(stream.recoverySubject(), requested, finalUri);
            }

            @Override
            public CompletableFuture<Optional<URI>> recover(UpstreamFailure failure) {
                stream.countError();
                RecoveryEpisode ep;
                synchronized (this) {
                    if (episode == null) {
                        episode = recovery.newEpisode(stream.sources());
                    }
                    ep = episode;
                }
                return recovery.afterFailure(stream.recoverySubject(), ep, failure).thenApply(go -> go
                        ? Optional.of(URI.create(stream.sources().requestUrl()))
                        : Optional.empty());
            }
        };
    }

    private void redirectToPlaylist(HttpServletRequest req, HttpServletResponse resp, Stream stream) {
        resp.setStatus(HttpServletResponse.SC_FOUND);
        resp.setHeader("Location", playlistLocation(req, stream));
    }

    private static String playlistLocation(HttpServletRequest req, Stream stream) {
        String query = req.getQueryString();
        return req.getContextPath() + "/hls/" + stream.id() + "/playlist.m3u8" + (query == null ? "" : "?" + query);
    }

    private Stream.Attachment connect(Stream stream, PlayerIdentity who) {
        Stream.Attachment session = stream.connect(who);
        if (session.newSession()) {
            events.fire(new ClientConnected(stream.id(), who.clientId(), who.ipAddress(), who.userAgent(),
                    who.username(), stream.clientCount(), stream.spec().metadata(), Instant.now()));
        }
        return session;
    }

    private void disconnect(Stream stream, Stream.Attachment session) {
        if (stream.disconnect(session.client())) {
            events.fire(new ClientDisconnected(stream.id(), session.client().clientId(),
                    session.client().bytesServed(), session.client().segmentsServed(), stream.spec().metadata(),
                    Instant.now()));
        }
    }

    /**
     * Players probe with HEAD. Live TS is answered from what we know, without opening an upstream for
     * nothing; VOD is answered from the upstream's own HEAD (length, ranges).
     */
    @Override
    protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doGet(req, resp);
    }

    private static void liveHead(HttpServletResponse resp) {
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
