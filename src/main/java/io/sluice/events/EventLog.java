package io.sluice.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.logging.Logger;

/**
 * One log line per event, off the streaming path. Provider URLs are left out on purpose: IPTV URLs often carry
 * account credentials in their path.
 */
@ApplicationScoped
public class EventLog {
    private static final Logger LOG = Logger.getLogger("io.sluice.events");

    void log(@ObservesAsync SluiceEvent event) {
        // The event rides along as a parameter, so a structured formatter can write its fields.
        LOG.log(java.util.logging.Level.INFO, line(event), new Object[]{event});
    }

    static String line(SluiceEvent e) {
        StringBuilder b = new StringBuilder(e.type()).append(" stream=").append(e.streamId());
        if (e instanceof ClientConnected c) {
            b.append(" client=").append(c.clientId()).append(" ip=").append(c.ipAddress());
        } else if (e instanceof ClientDisconnected c) {
            b.append(" client=").append(c.clientId()).append(" bytes=").append(c.bytesServed());
        } else if (e instanceof StreamStopped s) {
            b.append(" reason=").append(s.reason());
        } else if (e instanceof FailoverTriggered f) {
            b.append(" index=").append(f.failoverIndex()).append(" attempt=").append(f.attemptNumber())
                    .append(" reason=").append(f.reason()).append(f.manual() ? " manual" : "");
        } else if (e instanceof StickySessionReverted r) {
            b.append(" reason=").append(r.reason());
        } else if (e instanceof SourceMarkedInvalid i) {
            b.append(" status=").append(i.statusCode()).append(" until=").append(i.until());
        } else if (e instanceof StreamFailed f) {
            b.append(" reason=").append(f.reason());
        } else if (e instanceof StreamStarted s) {
            b.append(" type=").append(s.streamType());
        }
        return b.toString();
    }
}
