package io.sluice.webhooks;

import static io.sluice.web.JsonText.JSON;

import io.sluice.events.ClientConnected;
import io.sluice.events.ClientDisconnected;
import io.sluice.events.FailoverTriggered;
import io.sluice.events.SluiceEvent;
import io.sluice.events.SourceMarkedInvalid;
import io.sluice.events.StickySessionLocked;
import io.sluice.events.StickySessionReverted;
import io.sluice.events.StreamFailed;
import io.sluice.events.StreamStarted;
import io.sluice.events.StreamStopped;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.UUID;

/** The webhook body of an event: {@code {event_id, event_type, stream_id, timestamp, data}} with m3u-proxy's keys. */
public final class Payloads {
    private Payloads() {
    }

    public static String of(SluiceEvent e) {
        return JSON.createObjectBuilder()
                .add("event_id", UUID.randomUUID().toString())
                .add("event_type", e.type())
                .add("stream_id", e.streamId())
                .add("timestamp", e.at().toString())
                .add("data", data(e))
                .build().toString();
    }

    static String test(String url) {
        return JSON.createObjectBuilder()
                .add("event_id", UUID.randomUUID().toString())
                .add("event_type", "webhook_test")
                .add("stream_id", "test")
                .add("timestamp", java.time.Instant.now().toString())
                .add("data", JSON.createObjectBuilder().add("message", "Test webhook from Sluice").add("url", url))
                .build().toString();
    }

    /** m3u-proxy's keys for each event, and the stream's {@code metadata} in every one (SPEC 16). */
    private static JsonObjectBuilder data(SluiceEvent e) {
        JsonObjectBuilder d = JSON.createObjectBuilder();
        if (e instanceof StreamStarted s) {
            JsonArrayBuilder failovers = JSON.createArrayBuilder();
            s.failoverUrls().forEach(failovers::add);
            d.add("primary_url", s.url()).add("failover_urls", failovers).add("user_agent", text(s.userAgent()))
                    .add("stream_type", s.streamType()).add("reason", s.reason());
        } else if (e instanceof StreamStopped s) {
            d.add("reason", s.reason()).add("was_transcoded", s.wasTranscoded())
                    .add("stream_age_seconds", s.ageSeconds());
            if (s.filterField() != null) {
                d.add("filter_field", s.filterField()).add("filter_value", s.filterValue());
            }
        } else if (e instanceof StreamFailed f) {
            d.add("last_url", f.lastUrl()).add("reason", f.reason()).add("error", f.reason())
                    .add("client_count", f.clientCount());
        } else if (e instanceof ClientConnected c) {
            d.add("client_id", c.clientId()).add("ip_address", text(c.ipAddress()))
                    .add("user_agent", text(c.userAgent())).add("username", text(c.username()))
                    .add("stream_client_count", c.streamClientCount());
        } else if (e instanceof ClientDisconnected c) {
            d.add("client_id", c.clientId()).add("bytes_served", c.bytesServed())
                    .add("segments_served", c.segmentsServed());
        } else if (e instanceof FailoverTriggered f) {
            d.add("old_url", f.oldUrl()).add("new_url", f.newUrl()).add("failover_index", f.failoverIndex())
                    .add("attempt_number", f.attemptNumber()).add("reason", f.reason())
                    .add("client_count", f.clientCount()).add("manual", f.manual());
        } else if (e instanceof StickySessionLocked l) {
            d.add("original_url", l.entryUrl()).add("locked_url", l.lockedUrl());
        } else if (e instanceof StickySessionReverted r) {
            d.add("locked_url", r.lockedUrl()).add("original_url", r.entryUrl()).add("reason", r.reason());
        } else if (e instanceof SourceMarkedInvalid i) {
            d.add("url", i.url()).add("status_code", i.statusCode()).add("invalid_until", i.until().toString());
        }
        JsonObjectBuilder metadata = JSON.createObjectBuilder();
        e.metadata().forEach(metadata::add);
        return d.add("metadata", metadata);
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
