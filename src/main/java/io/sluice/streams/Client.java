package io.sluice.streams;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One player session on a stream; a player may hold several connections (reconnects) under one client id. */
public final class Client {
    private final String clientId;
    private final String streamId;
    private final String ipAddress;
    private final String userAgent;
    private final String username;
    private final Instant createdAt = Instant.now();
    private volatile Instant lastAccess = createdAt;
    private final AtomicLong bytesServed = new AtomicLong();
    private final AtomicLong segmentsServed = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();

    Client(String clientId, String streamId, String ipAddress, String userAgent, String username) {
        this.clientId = clientId;
        this.streamId = streamId;
        this.ipAddress = ipAddress;
        this.userAgent = userAgent;
        this.username = username;
    }

    public String clientId() {
        return clientId;
    }

    public String ipAddress() {
        return ipAddress;
    }

    public String userAgent() {
        return userAgent;
    }

    public String username() {
        return username;
    }

    public long bytesServed() {
        return bytesServed.get();
    }

    public long segmentsServed() {
        return segmentsServed.get();
    }

    int connections() {
        return connections.get();
    }

    AtomicInteger connectionCount() {
        return connections;
    }

    public void served(long bytes) {
        bytesServed.addAndGet(bytes);
        lastAccess = Instant.now();
    }

    void touch() {
        lastAccess = Instant.now();
    }

    Instant lastAccess() {
        return lastAccess;
    }

    void servedSegment() {
        segmentsServed.incrementAndGet();
    }

    public ClientStats stats() {
        return new ClientStats(clientId, streamId, userAgent, ipAddress, username, bytesServed.get(),
                segmentsServed.get(), Times.iso(createdAt), Times.iso(lastAccess), true); // listed = connected: TS on disconnect, HLS after CLIENT_TIMEOUT
    }
}
