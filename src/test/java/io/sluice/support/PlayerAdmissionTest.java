package io.sluice.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlayerAdmissionTest {
    private static PlayerAdmission bounded(int total, int perIp) {
        return PlayerAdmission.withSettings(Settings.from(Map.of("MAX_VIEWERS", String.valueOf(total),
                "MAX_VIEWERS_PER_IP", String.valueOf(perIp))::get));
    }

    @Test
    void oneAddressGetsItsShareAndOthersStillGetIn() {
        PlayerAdmission a = bounded(100, 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(a.admit("10.0.0.1").isPresent());
        }
        assertTrue(a.admit("10.0.0.1").isEmpty(), "a fourth from the same address");
        assertTrue(a.refusal("10.0.0.1").contains("this address"));
        assertTrue(a.admit("10.0.0.2").isPresent(), "another address is unaffected");
        assertEquals(4, a.openPlayers());
    }

    @Test
    void theTotalHoldsAcrossAddressesAndPlacesComeBackOnce() {
        PlayerAdmission a = bounded(5, 0);
        List<PlayerAdmission.Ticket> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(a.admit("10.0.1." + i).orElseThrow());
        }
        assertTrue(a.admit("10.0.2.1").isEmpty());
        assertTrue(a.refusal("10.0.2.1").contains("as many players"));
        held.get(0).release();
        held.get(0).release(); // twice: still one place
        Optional<PlayerAdmission.Ticket> next = a.admit("10.0.2.1");
        assertTrue(next.isPresent());
        assertTrue(a.admit("10.0.2.2").isEmpty(), "a double release gave back one place, not two");
        held.forEach(PlayerAdmission.Ticket::release);
        next.get().release();
        assertEquals(0, a.openPlayers());
    }

    @Test
    void zeroMeansNoBound() {
        PlayerAdmission a = bounded(0, 0);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(a.admit("10.0.0.1").isPresent());
        }
    }
}
