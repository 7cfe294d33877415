package io.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.testing.Await;
import io.sluice.testing.LiveTs;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryTest {

    @Test
    void roundsWriteToAddedPlayersAndForgetRemovedOnes() throws Exception {
        TsRing ring = new TsRing(188 * 256);
        try (Delivery delivery = new Delivery(2, 5)) {
            ClientTapTest.RecordingOutput[] outs = new ClientTapTest.RecordingOutput[3];
            ClientTap[] taps = new ClientTap[3];
            for (int i = 0; i < taps.length; i++) {
                outs[i] = new ClientTapTest.RecordingOutput();
                taps[i] = new ClientTap(outs[i], "c" + i, n -> { }, new ClientTapTest.RecordingOwner(), "/", () -> { });
                taps[i].start(ring, 0, false, "video/mp2t");
                delivery.add(taps[i]);
            }
            assertEquals(3, delivery.players());
            delivery.remove(taps[2]);
            assertEquals(2, delivery.players());
            byte[] packets = LiveTs.packets(0, 50);
            ring.append(ByteBuffer.wrap(packets), packets.length);
            Await.until("rounds write to both players", Duration.ofSeconds(5),
                    () -> outs[0].body.size() == packets.length && outs[1].body.size() == packets.length);
            assertEquals(0, outs[2].body.size(), "a removed player gets nothing");
        }
    }
}
