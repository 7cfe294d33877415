package io.sluice.ops;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Single-use, short-lived tickets for the event feed. A browser's EventSource cannot send headers, so the
 * console used to put the API token in the feed's URL, where access logs and proxies keep it. Now it asks for a
 * ticket with the token in a header and opens the feed with the ticket: a ticket that lands in a log is
 * already spent, or expires within {@link #LIFETIME}.
 */
@ApplicationScoped
public class FeedTickets {
    static final Duration LIFETIME = Duration.ofSeconds(30);
    /** Outstanding tickets at most; the oldest is dropped past it, so asking in a loop grows nothing. */
    static final int MAX_OUTSTANDING = 256;

    private final SecureRandom random = new SecureRandom();
    /** Ticket → expiry (System.nanoTime), oldest first. */
    private final LinkedHashMap<String, Long> outstanding = new LinkedHashMap<>();

    public synchronized String issue() {
        expire();
        if (outstanding.size() >= MAX_OUTSTANDING) {
            Iterator<String> oldest = outstanding.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        byte[] b = new byte[24];
        random.nextBytes(b);
        String ticket = HexFormat.of().formatHex(b);
        outstanding.put(ticket, System.nanoTime() + LIFETIME.toNanos());
        return ticket;
    }

    /** True once for a ticket issued here within its lifetime; the ticket is spent either way. */
    public synchronized boolean redeem(String ticket) {
        expire();
        // A map lookup by the presented value: tickets are random and single-use, so no secret is compared here.
        return ticket != null && outstanding.remove(ticket) != null;
    }

    private void expire() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<String, Long>> it = outstanding.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() - now > 0) {
                break; // issued in order with one lifetime: the rest expire later
            }
            it.remove();
        }
    }
}
