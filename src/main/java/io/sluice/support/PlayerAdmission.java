package io.sluice.support;

import io.sluice.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import io.sluice.web.ServletProblems;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many player connections (live, VOD, segments) may be open at once, in all and per client address
 * ({@code MAX_VIEWERS}, {@code MAX_VIEWERS_PER_IP}; 0 = no bound). Each open player holds buffers, so past the
 * bound a new one is refused with 503 at the door, before anything is allocated for it: overload is a clean
 * refusal, never a server that stops answering (issue 13).
 */
@ApplicationScoped
public class PlayerAdmission {
    @Inject
    Settings settings;

    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    /** A place taken by one player; {@link #release()} gives it back, once, however often it is called. */
    public static final class Ticket {
        private final PlayerAdmission owner;
        private final String address;
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(PlayerAdmission owner, String address) {
            this.owner = owner;
            this.address = address;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                owner.leave(address);
            }
        }
    }

    /** For tests and tools: an admission with these bounds. */
    public static PlayerAdmission withSettings(Settings settings) {
        PlayerAdmission a = new PlayerAdmission();
        a.settings = settings;
        return a;
    }

    /** A place for a player from {@code address}, or empty when a bound is reached; see {@link #refusal}. */
    public Optional<Ticket> admit(String address) {
        int maxTotal = settings.maxViewers();
        if (open.incrementAndGet() > maxTotal && maxTotal > 0) {
            open.decrementAndGet();
            return Optional.empty();
        }
        int maxHere = settings.maxViewersPerIp();
        boolean[] admitted = {true};
        perAddress.compute(address, (k, n) -> {
            int now = n == null ? 0 : n.get();
            if (maxHere > 0 && now >= maxHere) {
                admitted[0] = false;
                return n;
            }
            AtomicInteger c = n == null ? new AtomicInteger() : n;
            c.incrementAndGet();
            return c;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            return Optional.empty();
        }
        return Optional.of(new Ticket(this, address));
    }

    /** Why {@code address} was refused, for the 503's detail. */
    public String refusal(String address) {
        AtomicInteger here = perAddress.get(address);
        int maxHere = settings.maxViewersPerIp();
        if (maxHere > 0 && here != null && here.get() >= maxHere) {
            return "Too many players from this address (" + maxHere + "); close one and try again";
        }
        return "Sluice is serving as many players as it may (" + settings.maxViewers() + "); try again later";
    }

    /** Answers a refused player: 503 with the reason, and the connection closed so it holds nothing here. */
    public void refuse(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Retry-After", "10");
        resp.setHeader("Connection", "close");
        ServletProblems.send(resp, 503, refusal(req.getRemoteAddr()));
    }

    public int openPlayers() {
        return open.get();
    }

    private void leave(String address) {
        // Entries at zero are removed, so the map holds only addresses with players now: bounded by them.
        perAddress.computeIfPresent(address, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        open.decrementAndGet();
    }
}
