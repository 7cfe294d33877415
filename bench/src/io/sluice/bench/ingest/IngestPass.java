package io.sluice.bench.ingest;

import io.sluice.ts.TsHealth;
import io.sluice.ts.TsPacket;
import io.sluice.ts.TsSplicer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * One version's ingest (splicer + TS health) over a whole source, as {@code relay.Ingest} runs it: compiled once
 * against each version of {@code io.sluice.ts} and loaded beside the other by {@link IngestAb}.
 */
public final class IngestPass {
    private static final int CHUNK = 32;
    /** {@code TsSplicer.outputRoom(int)} where the version has it (versions that hold units back). */
    private static final MethodHandle ROOM = outputRoom();

    private IngestPass() {
    }

    /** Nanoseconds per packet, averaged over {@code passes} passes over {@code ts}. */
    public static double run(byte[] ts, int passes) {
        byte[] out = new byte[2 * CHUNK * TsSplicer.MAX_OUT_PER_PACKET];
        int packets = ts.length / TsPacket.SIZE / CHUNK * CHUNK;
        double total = 0;
        for (int pass = 0; pass < passes; pass++) {
            TsSplicer splicer = new TsSplicer(5_000_000_000L);
            TsHealth health = new TsHealth(5_000_000_000L, 0);
            Object feed = new Object();
            long t0 = System.nanoTime();
            for (int k = 0; k < packets; k += CHUNK) {
                long now = k * 1_000_000L;
                int room = room(splicer);
                if (out.length < room) {
                    out = new byte[room];
                }
                splicer.process(feed, ts, k * TsPacket.SIZE, CHUNK, out, 0, now);
                health.observe(ts, k * TsPacket.SIZE, CHUNK, splicer, now);
            }
            total += (System.nanoTime() - t0) / (double) packets;
        }
        return total / passes;
    }

    private static int room(TsSplicer splicer) {
        if (ROOM == null) {
            return CHUNK * TsSplicer.MAX_OUT_PER_PACKET;
        }
        try {
            return (int) ROOM.invokeExact(splicer, CHUNK);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static MethodHandle outputRoom() {
        try {
            return MethodHandles.publicLookup().findVirtual(TsSplicer.class, "outputRoom",
                    MethodType.methodType(int.class, int.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }
}
