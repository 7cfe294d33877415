package io.sluice.upstream;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.reactor.IOSessionListener;

/**
 * The upstream connections open now, by their local address, so that an exchange Sluice gives up can close its own
 * connection at once. HttpClient ignores a cancel once the response head has arrived (it lets the body run to its
 * end or to the read timeout), and a stalled source sends nothing that could fail the exchange: its connection
 * would stay open for the whole read timeout, counted against a provider's connection limit while the backup
 * connects. One entry per open connection, removed when it closes.
 */
final class UpstreamSessions implements IOSessionListener {
    private final Map<SocketAddress, IOSession> open = new ConcurrentHashMap<>();
    /**
     * Each session's local address, by session id: a closed socket no longer tells its address, and an entry
     * left behind would keep the session and its buffers for good.
     */
    private final Map<String, SocketAddress> addressOf = new ConcurrentHashMap<>();

    /** Closes the connection whose local end is {@code local}, if it is still open; true when one was closed. */
    boolean closeNow(SocketAddress local) {
        IOSession s = local == null ? null : open.remove(local);
        if (s == null) {
            return false;
        }
        addressOf.remove(s.getId());
        s.close(CloseMode.IMMEDIATE);
        return true;
    }

    int size() {
        return Math.max(open.size(), addressOf.size());
    }

    @Override
    public void connected(IOSession session) {
        SocketAddress local = session.getLocalAddress();
        if (local != null) {
            addressOf.put(session.getId(), local);
            open.put(local, session);
        }
    }

    @Override
    public void disconnected(IOSession session) {
        SocketAddress local = addressOf.remove(session.getId());
        if (local != null) {
            open.remove(local, session);
        }
    }

    @Override
    public void startTls(IOSession session) {
        // same connection
    }

    @Override
    public void inputReady(IOSession session) {
        // nothing to track
    }

    @Override
    public void outputReady(IOSession session) {
        // nothing to track
    }

    @Override
    public void timeout(IOSession session) {
        // the reactor closes it; disconnected follows
    }

    @Override
    public void exception(IOSession session, Exception e) {
        // disconnected follows
    }
}
