package io.sluice.streams;

import io.sluice.config.Settings;
import io.sluice.sources.Recovery;
import io.sluice.sources.SourceState;
import io.sluice.web.ApiException;
import io.sluice.web.JsonBodies;
import io.sluice.web.JsonBody;
import io.sluice.web.QueryFlags;
import io.sluice.events.StopCause;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        StreamRegistry.Registration registration = registry.registerSaying(spec);
        Stream stream = registration.stream();
        StreamSpec current = stream.spec();
        String base = PlayerUrls.base(settings, request);
        String endpoint = PlayerUrls.streamPath(stream);
        // m3u-proxy gives both URLs for every stream (the same one for a direct stream); strings, never null.
        return new StreamCreated(stream.id(), current.url(), current.failoverUrls(), current.userAgent(),
                current.kind().apiName(), endpoint, base + endpoint, base + endpoint,
                registration.created() ? "Stream created successfully (" + current.kind().apiName() + ")"
                        : registration.message(),
                spec.metadata().isEmpty() ? null : current.metadata(), current.silence());
    }

    @GET
    public StreamList list() {
        var stats = registry.oldestFirst().stream().map(Stream::stats).toList();
        return new StreamList(stats, stats.size());
    }

    /** m3u-proxy's {@code {filter, active_only, matching_streams, total_matching, total_clients}}. */
    @GET
    @Path("by-metadata")
    public MatchingStreams byMetadata(@QueryParam("field") String field, @QueryParam("value") String value,
                                      @QueryParam("active_only") String activeOnly) {
        boolean active = QueryFlags.parse("active_only", activeOnly, true); // m3u-proxy's default
        return MatchingStreams.of(field, value, active, metadata.matching(field, value, active));
    }

    public record MetadataCounts(String field, Map<String, Integer> counts) {
    }

    @GET
    @Path("counts-by-metadata")
    public MetadataCounts countsByMetadata(@QueryParam("field") String field, @QueryParam("values") String values,
                                           @QueryParam("active_only") String activeOnly) {
        return new MetadataCounts(field, metadata.counts(field, values,
                QueryFlags.parse("active_only", activeOnly, true)));
    }

    @DELETE
    @Path("by-metadata")
    public MetadataQueries.BulkStop deleteByMetadata(@QueryParam("field") String field,
                                                     @QueryParam("value") String value,
                                                     @QueryParam("exclude_channel_id") String excludeChannelId,
                                                     @QueryParam("force") String force,
                                                     @QueryParam("client_id") String clientId) {
        return metadata.stop(field, value, excludeChannelId, QueryFlags.parse("force", force, true), clientId);
    }

    /**
     * m3u-proxy's answer, {@code deleted_count} 0 and {@code deleted_stream} null when nothing matched (a 200: the
     * editor reads {@code deleted_count} and would take a 404 for a failure); {@code stopped_stream_id} is Sluice's.
     */
    public record OldestStopped(String message, String deletedStream, Double streamAgeSeconds, int deletedCount,
                                String stoppedStreamId) {
    }

    @DELETE
    @Path("oldest-by-metadata")
    public OldestStopped deleteOldestByMetadata(@QueryParam("field") String field, @QueryParam("value") String value,
                                                @QueryParam("exclude_channel_id") String excludeChannelId) {
        return metadata.stopOldest(field, value, excludeChannelId)
                .map(s -> new OldestStopped("Deleted oldest stream matching " + field + "=" + value, s.id(),
                        java.time.Duration.between(s.createdAt(), java.time.Instant.now()).toMillis() / 1000.0, 1,
                        s.id()))
                .orElseGet(() -> new OldestStopped("No streams found matching " + field + "=" + value, null, null,
                        0, null));
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
        if (!registry.stop(id, StopCause.of(StopCause.MANUAL))) {
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
            throw new ApiException(400, "No failover mechanism configured for this stream (neither failover_urls nor "
                    + "failover_resolver_url)");
        }
        Optional<SourceState.Move> move;
        try {
            // Bounded by the resolver's own timeout; the wait covers only a resolver that never answers at all.
            move = recovery.manualFailover(s.recoverySubject())
                    .get(settings.resolverTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "Interrupted while asking the failover resolver");
        } catch (ExecutionException | TimeoutException e) {
            move = Optional.empty();
        }
        if (move.isEmpty()) {
            throw new ApiException(409, s.spec().failoverResolverUrl() != null
                    ? "The failover resolver named no next source and the failover list is exhausted"
                    : "All failover URLs have been tried: the stream is on its last source");
        }
        SourceState.Move m = move.get();
        return new FailoverResult("Failover triggered successfully - all clients will seamlessly reconnect",
                m.newUrl(), m.failoverIndex(), m.attempt(), s.clientCount(), s.spec().kind().failoverLabel());
    }
}
