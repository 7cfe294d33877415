package io.sluice.transcode;

import io.sluice.config.Settings;
import io.sluice.streams.PlayerUrls;
import io.sluice.streams.Stream;
import io.sluice.streams.StreamRegistry;
import io.sluice.streams.StreamSpec;
import io.sluice.web.ApiException;
import io.sluice.web.JsonBodies;
import io.sluice.web.JsonBody;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** m3u-proxy's transcoding API (SPEC 12): register a transcoded stream, list the profiles. */
@Path("transcode")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class TranscodeResource {
    @Inject
    Settings settings;
    @Inject
    StreamRegistry registry;
    @Inject
    Ffmpeg ffmpeg;

    public record TranscodeCreated(String streamId, String primaryUrl, List<String> failoverUrls, String userAgent,
                                   String streamType, String streamEndpoint, String playlistUrl, String directUrl,
                                   String format, String profile, Map<String, String> profileVariables,
                                   List<String> ffmpegArgs, String message, Map<String, String> metadata) {
    }

    public record Hardware(boolean available, String type) {
    }

    public record FfmpegInfo(boolean available, String version, String path) {
    }

    public record Profiles(List<TranscodeProfile> profiles, Hardware hardwareAcceleration,
                           Map<String, String> defaultVariables, FfmpegInfo ffmpeg) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @JsonBody(TranscodeRegistration.class)
    public TranscodeCreated create(InputStream body, @Context HttpServletRequest request) {
        StreamSpec spec = new TranscodeRequestParser(settings).parse(JsonBodies.read(body));
        if (!ffmpeg.available()) {
            throw new ApiException(503, Ffmpeg.MISSING);
        }
        Stream stream = registry.register(spec);
        StreamSpec current = stream.spec();
        var how = current.transcode() != null ? current.transcode() : spec.transcode();
        boolean hls = current.transcode() != null && current.transcode().hls() != null;
        // m3u-proxy's answer: HLS output is played from the HLS route, MPEG-TS from the stream route.
        String endpoint = hls ? "/hls/" + stream.id() + "/playlist.m3u8" : PlayerUrls.streamPath(stream);
        String url = PlayerUrls.base(settings, request) + endpoint;
        List<String> args = new ArrayList<>(how.inputArguments());
        args.addAll(how.arguments());
        return new TranscodeCreated(stream.id(), current.url(), current.failoverUrls(), current.userAgent(),
                current.kind().apiName(), endpoint, hls ? endpoint : null, url, hls ? "hls" : "mpegts", how.profile(),
                how.variables(), args, current.transcode() == null
                ? "The stream has players: it keeps its current form until they leave"
                : hls ? "Transcoded stream created successfully (HLS output)"
                : "Transcoded stream created successfully (MPEG-TS)",
                current.metadata().isEmpty() ? null : current.metadata());
    }

    @GET
    @Path("profiles")
    public Profiles profiles() {
        List<TranscodeProfile> all = new ArrayList<>();
        TranscodeProfiles.all().forEach(all::add);
        // Software encoders only: hardware encoders need devices this WAR cannot see; name them in raw arguments.
        return new Profiles(all, new Hardware(false, null), new TreeMap<>(TranscodeProfiles.defaultVariables()),
                new FfmpegInfo(ffmpeg.available(), ffmpeg.version(), settings.ffmpegPath()));
    }
}
