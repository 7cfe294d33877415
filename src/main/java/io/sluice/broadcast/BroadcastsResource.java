package io.sluice.broadcast;

import io.sluice.config.Settings;
import io.sluice.hlsout.SegmentWindow;
import io.sluice.web.ApiException;
import io.sluice.web.JsonBodies;
import io.sluice.web.JsonBody;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.regex.Pattern;

/**
 * m3u-proxy's network broadcast routes (SPEC 12.1, 16). Management routes need the API token; the playlist and
 * segments are player routes ({@code web.ApiTokenFilter} lets them through), served from memory.
 */
@Path("broadcast")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class BroadcastsResource {
    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    /** M3U Editor names networks by UUID; anything path-safe and short is accepted. */
    private static final Pattern NETWORK_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern SEGMENT = Pattern.compile("live[0-9]{6,12}\\.ts");

    @Inject
    Settings settings;
    @Inject
    Broadcasts broadcasts;

    public record Stopped(String message, String networkId, long finalSegmentNumber, String status) {
    }

    public record BroadcastList(List<BroadcastStatus> broadcasts, int count) {
    }

    public record Message(String message) {
    }

    @POST
    @Path("{network_id}/start")
    @Consumes(MediaType.WILDCARD)
    @JsonBody(BroadcastRequest.class)
    public BroadcastStatus start(@PathParam("network_id") String networkId, InputStream body) {
        String id = checked(networkId);
        BroadcastRequest r = new BroadcastRequestParser(settings).parse(JsonBodies.read(body));
        return broadcasts.start(id, r);
    }

    @POST
    @Path("{network_id}/stop")
    public Stopped stop(@PathParam("network_id") String networkId) {
        String id = checked(networkId);
        BroadcastStatus s = broadcasts.stop(id).orElseThrow(() -> ApiException.notFound("Broadcast not found"));
        return new Stopped("Broadcast stopped", id, s.currentSegmentNumber(), s.status());
    }

    @GET
    @Path("{network_id}/status")
    public BroadcastStatus status(@PathParam("network_id") String networkId) {
        return broadcasts.status(checked(networkId)).orElseThrow(() -> ApiException.notFound("Broadcast not found"));
    }

    @GET
    public BroadcastList list() {
        List<BroadcastStatus> all = broadcasts.all();
        return new BroadcastList(all, all.size());
    }

    @DELETE
    @Path("{network_id}")
    public Message delete(@PathParam("network_id") String networkId) {
        String id = checked(networkId);
        // Idempotent: the editor deletes networks that may never have run here.
        return new Message(broadcasts.delete(id) ? "Broadcast " + id + " cleaned up successfully"
                : "Broadcast " + id + " had nothing to clean up");
    }

    @GET
    @Path("{network_id}/live.m3u8")
    @Produces(PLAYLIST_TYPE)
    public Response playlist(@PathParam("network_id") String networkId) {
        String text = broadcasts.playlist(checked(networkId))
                .orElseThrow(() -> ApiException.notFound("Playlist not available"));
        return Response.ok(text, PLAYLIST_TYPE).header("Cache-Control", "no-cache, no-store, must-revalidate")
                .header("Access-Control-Allow-Origin", "*").build();
    }

    @GET
    @Path("{network_id}/segment/{filename}")
    @Produces("video/mp2t")
    public Response segment(@PathParam("network_id") String networkId, @PathParam("filename") String filename) {
        return segmentBytes(networkId, filename);
    }

    /** The playlist's bare names resolve next to it; m3u-proxy answers only under segment/, Sluice under both. */
    @GET
    @Path("{network_id}/{filename: live[0-9]+\\.ts}")
    @Produces("video/mp2t")
    public Response sibling(@PathParam("network_id") String networkId, @PathParam("filename") String filename) {
        return segmentBytes(networkId, filename);
    }

    private Response segmentBytes(String networkId, String filename) {
        String id = checked(networkId);
        if (!SEGMENT.matcher(filename).matches()) {
            throw ApiException.notFound("Segment not found");
        }
        SegmentWindow.Segment s = broadcasts.segment(id, filename)
                .orElseThrow(() -> ApiException.notFound("Segment not found"));
        return Response.ok(s.bytes(), "video/mp2t").header("Cache-Control", "max-age=86400")
                .header("Access-Control-Allow-Origin", "*").build();
    }

    private static String checked(String networkId) {
        if (networkId == null || !NETWORK_ID.matcher(networkId).matches()) {
            throw ApiException.notFound("Broadcast not found");
        }
        return networkId;
    }
}
