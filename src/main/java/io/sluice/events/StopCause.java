package io.sluice.events;

/** Why a stream stopped, and the metadata filter that stopped it when one did (m3u-proxy's bulk routes). */
public record StopCause(String reason, String filterField, String filterValue) {
    public static final String MANUAL = "manual_deletion";
    public static final String METADATA_FILTER = "metadata_filter_deletion";
    public static final String OLDEST = "oldest_stream_deletion";
    public static final String INACTIVE = "inactive_timeout";
    public static final String FAILED = "stream_failed";
    public static final String PROVIDER_LIMIT = "provider_limit";
    public static final String REMOVED_ELSEWHERE = "removed_by_another_instance";

    public static StopCause of(String reason) {
        return new StopCause(reason, null, null);
    }

    public static StopCause filter(String reason, String field, String value) {
        return new StopCause(reason, field, value);
    }
}
