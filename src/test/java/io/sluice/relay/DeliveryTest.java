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

    @Test
    void aPlayerThatWroteABacklogIsWrittenToAgainBeforeTheNextRoundUntilItKeepsUpWithTheStream() {
        TsRing ring = new TsRing(1024 * 1024);
        try (Delivery delivery = new Delivery(1, 60_000, 500)) {
            ClientTapTest.RecordingOutput out = new ClientTapTest.RecordingOutput();
            ClientTapTest.RecordingOwner owner = new ClientTapTest.RecordingOwner() {
                @Override
                public void catchingUp(ClientTap tap) {
                    super.catchingUp(tap);
                    delivery.sprint(tap);
                }
            };
            ClientTap tap = new ClientTap(out, "fast", n -> { }, owner, "/", () -> { });
            byte[] backlog = LiveTs.packets(0, 1000); // 188,000 bytes, above CATCH_UP
            ring.append(ByteBuffer.wrap(backlog), backlog.length);
            delivery.add(tap);
            tap.start(ring, 0, false, "video/mp2t");
            assertEquals(ClientTap.MAX_WRITE, out.body.size(), "the starting thread writes once, a lane the rest");
            assertEquals(1, delivery.sprinting());
            Await.until("a sprint writes the backlog (rounds are a minute apart)", Duration.ofSeconds(10),
                    () -> out.body.size() == backlog.length);
            byte[] more = LiveTs.packets(1000, 200); // 37,600 bytes, above SPRINT_KEEP
            ring.append(ByteBuffer.wrap(more), more.length);
            Await.until("the next sprint writes what came since", Duration.ofSeconds(10),
                    () -> out.body.size() == backlog.length + more.length);
            Await.until("a sprint that finds less than a fast reader takes ends the sprint", Duration.ofSeconds(10),
                    () -> delivery.sprinting() == 0);
        }
    }
}
