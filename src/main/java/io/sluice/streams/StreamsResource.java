package io.sluice.streams;

import io.sluice.config.Settings;
import io.sluice.sources.Recovery;
import io.sluice.sources.SourceState;
import io.sluice.web.ApiException;
import io.sluice.web.JsonBodies;
import io.sluice.web.JsonBody;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The m3u-proxy streams API (SPEC 3.2). */
@Path("streams")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class StreamsResource {
    @Inject
    StreamRegistry registry;
    @Inject
    Settings settings;
    @Inject
    Recovery recovery;
    @Inject
    MetadataQueries metadata;

    @POST
    @Consumes(MediaType.WILDCARD) // editors do not always label their JSON; the parser decides
    @JsonBody(StreamRegistration.class)
    public StreamCreated create(InputStream body, @Context HttpServletRequest request) {
        StreamSpec spec = new StreamRequestParser(settings).parse(JsonBodies.read(body));
        Stream stream = registry.register(spec);
        StreamSpec current = stream.spec();
        String base = PlayerUrls.base(settings, request);
        String endpoint = PlayerUrls.streamPath(stream);
        boolean hls = current.kind() == StreamKind.HLS;
        return new StreamCreated(stream.id(), current.url(), current.failoverUrls(), current.userAgent(),
                current.kind().apiName(), endpoint, hls ? base + endpoint : null,
                hls ? null : base + endpoint, "Stream created successfully",
                spec.metadata().isEmpty() ? null : current.metadata());
    }

    @GET
    public StreamList list() {
        var stats = registry.oldestFirst().stream().map(Stream::stats).toList();
        return new StreamList(stats, stats.size());
    }

    public record MatchingStreams(String field, String value, List<StreamStats> streams, int total) {
    }

    public record MetadataCounts(String field, Map<String, Integer> counts) {
    }

    public record OldestStopped(String message, String stoppedStreamId) {
    }

    @GET
    @Path("by-metadata")
    public MatchingStreams byMetadata(@QueryParam("field") String field, @QueryParam("value") String value,
                                      @QueryParam("active_only") @DefaultValue("false") boolean activeOnly) {
        List<StreamStats> found = metadata.matching(field, value, activeOnly).stream().map(Stream::stats).toList();
        return new MatchingStreams(field, value, found, found.size());
    }

    @GET
    @Path("counts-by-metadata")
    public MetadataCounts countsByMetadata(@QueryParam("field") String field, @QueryParam("values") String values,
                                           @QueryParam("active_only") @DefaultValue("false") boolean activeOnly) {
        return new MetadataCounts(field, metadata.counts(field, values, activeOnly));
    }

    @DELETE
    @Path("by-metadata")
    public MetadataQueries.BulkStop deleteByMetadata(@QueryParam("field") String field,
                                                     @QueryParam("value") String value,
                                                     @QueryParam("exclude_channel_id") String excludeChannelId,
                                                     @QueryParam("force") @DefaultValue("false") boolean force,
                                                     @QueryParam("client_id") String clientId) {
        return metadata.stop(field, value, excludeChannelId, force, clientId);
    }

    @DELETE
    @Path("oldest-by-metadata")
    public OldestStopped deleteOldestByMetadata(@QueryParam("field") String field, @QueryParam("value") String value,
                                                @QueryParam("exclude_channel_id") String excludeChannelId) {
        String id = metadata.stopOldest(field, value, excludeChannelId)
                .orElseThrow(() -> ApiException.notFound("No stream matches " + field + "=" + value));
        return new OldestStopped("Stopped the oldest stream", id);
    }

    @GET
    @Path("{id}")
    public StreamDetail get(@PathParam("id") String id) {
        Stream s = registry.find(id).orElseThrow(() -> ApiException.notFound("Stream not found"));
        var clients = s.clientStats();
        return new StreamDetail(s.stats(), clients, clients.size());
    }

    @DELETE
    @Path("{id}")
    public Message delete(@PathParam("id") String id) {
        if (!registry.stop(id, "api_delete")) {
            throw ApiException.notFound("Stream not found");
        }
        return new Message("Stream " + id + " deleted");
    }

    /** SPEC 9.5: the next source now; every player continues on it without closing. */
    @POST
    @Path("{id}/failover")
    public FailoverResult failover(@PathParam("id") String id) {
        Stream s = registry.find(id).orElseThrow(() -> ApiException.notFound("Stream not found"));
        SourceState sources = s.sources();
        if (!sources.hasFailover()) {
            throw new ApiException(400, "Stream has no failover URLs configured");
        }
        Optional<SourceState.Move> move = recovery.manualFailover(s.recoverySubject());
        if (move.isEmpty()) {
            throw new ApiException(409, "All failover URLs have been tried: the stream is on its last source");
        }
        SourceState.Move m = move.get();
        return new FailoverResult("Failover triggered", m.newUrl(), m.failoverIndex(), m.attempt(), s.clientCount(),
                s.spec().kind().apiName());
    }
}
