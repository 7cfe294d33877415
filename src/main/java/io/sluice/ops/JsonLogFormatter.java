package io.sluice.ops;

import static io.sluice.web.JsonText.JSON;

import io.sluice.events.ClientConnected;
import io.sluice.events.ClientDisconnected;
import io.sluice.events.FailoverTriggered;
import io.sluice.events.SluiceEvent;
import io.sluice.events.StickySessionReverted;
import io.sluice.events.StreamFailed;
import io.sluice.events.StreamStopped;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code LOG_FORMAT=json}: one JSON object per line. An event's line carries its type, stream id, client id
 * and reason as fields. Provider URLs are not written (they often hold account credentials).
 */
final class JsonLogFormatter extends Formatter {
    @Override
    public String format(LogRecord r) {
        JsonObjectBuilder b = JSON.createObjectBuilder()
                .add("time", Instant.ofEpochMilli(r.getMillis()).toString())
                .add("level", r.getLevel().getName())
                .add("logger", r.getLoggerName() == null ? "" : r.getLoggerName())
                .add("message", formatMessage(r));
        Object[] params = r.getParameters();
        if (params != null && params.length == 1 && params[0] instanceof SluiceEvent e) {
            b.add("event", e.type()).add("stream_id", e.streamId());
            String client = e instanceof ClientConnected c ? c.clientId()
                    : e instanceof ClientDisconnected d ? d.clientId() : null;
            if (client != null) {
                b.add("client_id", client);
            }
            String reason = e instanceof StreamStopped s ? s.reason()
                    : e instanceof StreamFailed f ? f.reason()
                    : e instanceof FailoverTriggered f ? f.reason()
                    : e instanceof StickySessionReverted v ? v.reason() : null;
            if (reason != null) {
                b.add("reason", reason);
            }
        }
        if (r.getThrown() != null) {
            b.add("error", r.getThrown().toString());
        }
        return b.build().toString() + System.lineSeparator();
    }

    @Override
    public String formatMessage(LogRecord r) {
        // Event lines are plain text with the event as a parameter, not a {0} pattern.
        return r.getMessage() == null ? "" : r.getMessage();
    }
}
