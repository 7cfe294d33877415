package io.sluice.vod;

import io.sluice.config.Settings;
import io.sluice.streams.StreamSpec;
import io.sluice.support.ContainerConnection;
import io.sluice.upstream.UpstreamClient;
import io.sluice.upstream.UpstreamRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.function.LongConsumer;

/** Serves one upstream body to one player: VOD on {@code /stream/{id}} and HLS segments. */
@ApplicationScoped
public class VodDelivery {
    @Inject
    UpstreamClient upstream;
    @Inject
    Settings settings;

    /**
     * Starts the asynchronous pass-through of {@code target} for this request: the player's Range is
     * forwarded (when well formed), HEAD is answered from an upstream HEAD.
     */
    public void serve(HttpServletRequest req, HttpServletResponse resp, StreamSpec spec,
                      java.util.Set<String> headerOrigins, URI target,
                      String defaultContentType, PassThrough.Sources sources, LongConsumer served,
                      Runnable onFinish) throws IOException {
        boolean head = "HEAD".equals(req.getMethod());
        String range = ByteRange.acceptable(req.getHeader("Range"));
        UpstreamRequest request = new UpstreamRequest(target, spec.userAgent(), spec.headers(),
                head ? "HEAD" : "GET", range).withHeaderOrigins(headerOrigins);
        AsyncContext async = req.startAsync();
        // A long movie to a slow player legitimately takes hours; the player's disconnect ends it.
        async.setTimeout(0);
        // A paused player keeps its connection up to the pause limit; the upstream is parked meanwhile.
        ContainerConnection.allowPausedWrites(resp, settings.playerPauseLimit());
        ServletOutputStream out = resp.getOutputStream();
        PassThrough pass = new PassThrough(async, resp, out, upstream, request,
                new PassThrough.Options(head, settings.vodResumeAttempts(), defaultContentType), sources, served,
                onFinish);
        async.addListener(pass);
        out.setWriteListener(pass);
        pass.start();
    }
}
