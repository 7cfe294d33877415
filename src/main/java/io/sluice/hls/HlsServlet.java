package io.sluice.hls;

import io.sluice.config.Settings;
import io.sluice.streams.Client;
import io.sluice.streams.PlayerIdentity;
import io.sluice.streams.Client;
import io.sluice.transcode.HlsOutputs;
import io.sluice.streams.PlayerUrls;
import io.sluice.streams.Stream;
import io.sluice.streams.StreamKind;
import io.sluice.streams.StreamRegistry;
import io.sluice.upstream.UpstreamFailure;
import io.sluice.vod.PassThrough;
import io.sluice.vod.VodDelivery;
import io.sluice.support.PlayerAdmission;
import io.sluice.support.PlayerHeaders;
import io.sluice.web.ServletProblems;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code /hls/{id}/playlist.m3u8} (rewritten playlists) and {@code /hls/{id}/segment.ts} (segments, keys and
 * maps named by a signed reference). Public routes, so nothing is fetched that a Sluice playlist did not hand
 * out for that stream.
 */
@WebServlet(name = HlsServlet.NAME, urlPatterns = "/hls/*", asyncSupported = true)
public class HlsServlet extends HttpServlet {
    public static final String NAME = "sluice-hls";
    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    private static final long PLAYLIST_DEADLINE_MILLIS = 120_000;

    @Inject
    StreamRegistry registry;
    @Inject
    PlaylistFetcher playlists;
    @Inject
    MainPlaylists mainPlaylists;
    @Inject
    VariantPlaylists variants;
    @Inject
    SegmentReferences references;
    @Inject
    HlsSessions sessions;
    @Inject
    VodDelivery delivery;
    @Inject
    Settings settings;
    @Inject
    HlsOutputs hlsOutputs;
    @Inject
    PlayerAdmission admission;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PlayerHeaders.apply(resp);
        String[] parts = req.getPathInfo() == null ? new String[0] : req.getPathInfo().split("/");
        if (parts.length != 3) {
            ServletProblems.send(resp, 404, "Not Found");
            return;
        }
        Optional<Stream> stream = registry.find(parts[1]);
        if (stream.isEmpty()) {
            ServletProblems.send(resp, 404, "Stream not found");
            return;
        }
        if (HlsOutputs.serves(stream.get())) {
            transcoded(req, resp, stream.get(), parts[2]);
            return;
        }
        if (stream.get().spec().kind() != StreamKind.HLS) {
            // A player's mistake (SPEC 4): nothing is fetched, so no source is blamed and nothing fails over.
            ServletProblems.send(resp, 404, "Stream " + stream.get().id() + " is not HLS; play it at /stream/"
                    + stream.get().id());
            return;
        }
        switch (parts[2]) {
            case "playlist.m3u8" -> playlist(req, resp, stream.get());
            case "segment.ts", "segment" -> segment(req, resp, stream.get());
            default -> ServletProblems.send(resp, 404, "Not Found");
        }
    }

    /** A transcoded stream with HLS output: its playlist and segments come from memory, not from an upstream. */
    private void transcoded(HttpServletRequest req, HttpServletResponse resp, Stream stream, String file)
            throws IOException {
        Client client = sessions.seen(stream, PlayerIdentity.of(req, stream.id()));
        if (file.equals("playlist.m3u8")) {
            String suffix = clientSuffix(req);
            // The first segment may take FFmpeg's probe and a whole segment: the request waits without a thread.
            AsyncContext async = req.startAsync();
            async.setTimeout(HlsOutputs.FIRST_SEGMENT_WAIT_MILLIS + 10_000); // the answer's own bound comes first
            stream.whileWaiting(client,
                    () -> hlsOutputs.playlist(stream, suffix.isEmpty() ? "" : "?" + suffix.substring(1)))
                    .whenComplete((a, error) -> async.start(() -> {
                        try {
                            if (error != null) {
                                ServletProblems.send(resp, 503, "The transcoder's playlist is not available");
                            } else if (a.status() != 200) {
                                ServletProblems.send(resp, a.status(), a.detail());
                            } else {
                                byte[] body = a.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                                resp.setContentType("application/vnd.apple.mpegurl");
                                resp.setHeader("Cache-Control", "no-cache");
                                resp.setContentLength(body.length);
                                resp.getOutputStream().write(body);
                            }
                        } catch (IOException | RuntimeException gone) {
                            // the player left while it waited
                        } finally {
                            async.complete();
                        }
                    }));
            return;
        }
        Optional<io.sluice.hlsout.SegmentWindow.Segment> segment = hlsOutputs.segment(stream, file);
        if (segment.isEmpty()) {
            ServletProblems.send(resp, 404, "Segment not found");
            return;
        }
        byte[] bytes = segment.get().bytes();
        stream.servedSegment(client);
        stream.served(client, bytes.length);
        resp.setContentType("video/mp2t");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    @Override
    protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doGet(req, resp); // the container drops the body of a HEAD
    }

    private void playlist(HttpServletRequest req, HttpServletResponse resp, Stream stream) throws IOException {
        String variant = req.getParameter("v");
        URI target;
        if (variant == null) {
            target = URI.create(stream.spec().url());
        } else {
            Optional<URI> signed = references.verify(stream.id(), variant);
            if (signed.isEmpty()) {
                ServletProblems.send(resp, 403, "Invalid or expired playlist reference");
                return;
            }
            target = signed.get();
        }
        PlayerIdentity who = PlayerIdentity.of(req, stream.id());
        sessions.seen(stream, who);
        boolean main = variant == null;
        Optional<VariantPlaylists.Place> place = main ? Optional.empty() : variants.verify(stream.id(), req.getParameter("p"));
        boolean followsSource = place.isPresent();
        // A variant's sequence belongs to its place in the master, so it runs on across a change of source.
        String sequenceKey = main ? "main" : followsSource
                ? "variant-" + place.get().position().tag() + "-" + place.get().position().index() : target.getPath();
        String base = PlayerUrls.base(settings, req) + "/hls/" + stream.id();
        String clientSuffix = clientSuffix(req);
        AsyncContext async = req.startAsync();
        // Recovery (retries, failover) is bounded in count and time; this is the last line of defence.
        async.setTimeout(PLAYLIST_DEADLINE_MILLIS);
        async.addListener(new jakarta.servlet.AsyncListener() {
            @Override
            public void onTimeout(jakarta.servlet.AsyncEvent event) throws IOException {
                ServletProblems.send(resp, 504, "No source answered in time");
                async.complete();
            }

            @Override
            public void onComplete(jakarta.servlet.AsyncEvent event) {
            }

            @Override
            public void onError(jakarta.servlet.AsyncEvent event) {
            }

            @Override
            public void onStartAsync(jakarta.servlet.AsyncEvent event) {
            }
        });
        var fetch = main ? mainPlaylists.fetch(stream)
                : followsSource ? variants.fetch(stream, target, place.get())
                : playlists.fetch(stream.spec(), stream.headerOrigins(), target);
        fetch.whenComplete((fetched, error) -> async.start(() -> {
            try {
                if (error != null) {
                    UpstreamFailure f = PlaylistFetcher.failureOf(error);
                    if (!main && !followsSource) {
                        stream.countError(); // the stream's recovery counted its own
                    }
                    ServletProblems.send(resp, f.playerStatus(), f.message());
                } else {
                    String owned = mainPlaylists.ownSequence(stream, sequenceKey, fetched);
                    // Read after the fetch: a failover or sticky lock it caused is the source of this master.
                    String sourceKey = main ? VariantPlaylists.sourceKey(stream) : null;
                    String body = PlaylistRewriter.rewrite(owned, fetched.finalUri(),
                            new SignedUris(stream.id(), base, clientSuffix, sourceKey));
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    resp.setStatus(200);
                    resp.setContentType(PLAYLIST_TYPE);
                    resp.setContentLength(bytes.length);
                    resp.setHeader("Cache-Control", "no-cache, no-store");
                    resp.setHeader("Access-Control-Allow-Origin", "*");
                    resp.getOutputStream().write(bytes);
                }
            } catch (IOException | RuntimeException e) {
                // the player left while we fetched
            } finally {
                async.complete();
            }
        }));
    }

    private void segment(HttpServletRequest req, HttpServletResponse resp, Stream stream) throws IOException {
        Optional<URI> target = references.verify(stream.id(), req.getParameter("r"));
        if (target.isEmpty()) {
            ServletProblems.send(resp, 403, "Invalid or expired segment reference");
            return;
        }
        Optional<PlayerAdmission.Ticket> place = admission.admit(req.getRemoteAddr());
        if (place.isEmpty()) {
            admission.refuse(req, resp);
            return;
        }
        Client client = sessions.seen(stream, PlayerIdentity.of(req, stream.id()));
        stream.servedSegment(client);
        // A segment's URL comes from a signed reference: it is fetched as named, once more after a failure, and a
        // second failure is a failure of the stream's source (issue 15).
        delivery.serve(req, resp, stream.spec(), stream.headerOrigins(), target.get(), "video/mp2t",
                new SegmentSources(stream, target.get(), URI.create(stream.sources().requestUrl())),
                n -> stream.served(client, n), () -> place.get().release());
    }

    /** A segment's one retry, then its failure handed to the stream's recovery; the player gets the error. */
    private final class SegmentSources implements PassThrough.Sources {
        private final Stream stream;
        private final URI segment;
        private final URI sourceAtRequest;
        private final AtomicBoolean retried = new AtomicBoolean();

        SegmentSources(Stream stream, URI segment, URI sourceAtRequest) {
            this.stream = stream;
            this.segment = segment;
            this.sourceAtRequest = sourceAtRequest;
        }

        @Override
        public void responded(URI requested, URI finalUri) {
        }

        @Override
        public CompletableFuture<Optional<URI>> recover(UpstreamFailure f) {
            if (retried.compareAndSet(false, true)) {
                return CompletableFuture.completedFuture(Optional.of(segment));
            }
            return mainPlaylists.segmentFailed(stream, sourceAtRequest, f).handle((go, error) -> Optional.empty());
        }
    }

    /** A player that named itself keeps its name on the URLs it is handed. */
    private static String clientSuffix(HttpServletRequest req) {
        String id = req.getParameter("client_id");
        return id == null || id.length() > PlayerIdentity.MAX_CLIENT_ID
                ? "" : "&client_id=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    /** Playlist URIs become signed Sluice URLs for this stream. */
    private final class SignedUris implements PlaylistRewriter.UriMapper {
        private final String streamId;
        private final String base;
        private final String clientSuffix;
        /** For the stream's own playlist: the source it came from, so its variants can follow a failover. */
        private final String sourceKey;
        private final java.util.Map<String, Integer> counted = new java.util.HashMap<>();

        SignedUris(String streamId, String base, String clientSuffix, String sourceKey) {
            this.streamId = streamId;
            this.base = base;
            this.clientSuffix = clientSuffix;
            this.sourceKey = sourceKey;
        }

        @Override
        public String playlist(URI upstream) {
            return playlist(upstream, "");
        }

        @Override
        public String playlist(URI upstream, String tag) {
            String follow = "";
            if (sourceKey != null && !tag.isEmpty()) {
                int index = counted.merge(tag, 1, Integer::sum) - 1;
                follow = "&p=" + variants.sign(streamId, tag, index, sourceKey);
            }
            return base + "/playlist.m3u8?v=" + references.sign(streamId, upstream) + follow + clientSuffix;
        }

        @Override
        public String media(URI upstream) {
            return base + "/segment.ts?r=" + references.sign(streamId, upstream) + clientSuffix;
        }
    }
}
