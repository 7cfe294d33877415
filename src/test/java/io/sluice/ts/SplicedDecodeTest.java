package io.sluice.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Decoders;
import io.sluice.testing.SpliceSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real decoders read the splicer's output: ffprobe finds players' streams continuing, ffmpeg decodes through. */
class SplicedDecodeTest {
    private static final long WAIT = 5_000_000_000L;

    private static Path write(String name, byte[] ts) throws Exception {
        Path p = Path.of("target/test-media/" + name + ".ts");
        Files.createDirectories(p.getParent());
        Files.write(p, ts);
        return p;
    }

    private static int at(byte[] ts, double seconds) {
        return (int) (seconds * SpliceSources.realTimeRate(ts)) / TsPacket.SIZE * TsPacket.SIZE;
    }

    @Test
    void differentSourcesContinueOnPlayersStreams() throws Exception {
        byte[] a = SpliceSources.primary();
        byte[] b = SpliceSources.backup();
        Splice s = new Splice(WAIT);
        s.feed(new Object(), a, 0, at(a, 8.3));
        s.feed(new Object(), b, at(b, 3.6), at(b, 8));
        Path file = write("spliced-different", s.bytes());
        Decoders.Probe probe = Decoders.probe(file.toString(), 60);
        assertEquals(2, probe.streams(), probe.toString());
        assertTrue(probe.packetsAfterSplice(0) > 5 * 40, "video after the splice: " + probe);
        assertTrue(probe.packetsAfterSplice(1) > 5 * 20, "audio after the splice: " + probe);
        Decoders.Decode d = Decoders.decode(file.toString(), 60);
        assertEquals(0, d.exitCode(), d.errors());
        assertTrue(d.seconds() >= 15, "decoded " + d.seconds() + " s");
        assertEquals(0, d.decoderErrors("h264"), d.errors());
        assertEquals(0, d.failedPackets(0), d.errors());
        // ffmpeg 5.1 keeps its AAC decoder on the MP2 track: the backup's audio packets fail, nothing before them.
        assertTrue(d.failedPackets(1) <= probe.packetsAfterSplice(1), probe + " " + d.errors());
        assertTrue(d.timestampComplaints() <= 2, d.errors());
        assertEquals(List.of(), d.otherErrors("aac"), d.errors());
    }

    @Test
    void identicalSourcesDecodeWithoutAnError() throws Exception {
        byte[] a = SpliceSources.primary();
        Splice s = new Splice(WAIT);
        s.feed(new Object(), a, 0, at(a, 8.3));
        s.feed(new Object(), a, at(a, 3.6), at(a, 8));
        Path file = write("spliced-identical", s.bytes());
        Decoders.Decode d = Decoders.decode(file.toString(), 60);
        assertEquals(0, d.exitCode());
        // Not a line: no decoder complaint, and no re-timing trouble either (the old source ends on a closed group).
        assertEquals("", d.errors());
    }

    @Test
    void identicalSourcesCutAnywhereDecodeWithoutAnError() throws Exception {
        byte[] a = SpliceSources.primary();
        for (double cut : List.of(5.0, 5.3, 5.55, 5.8, 6.0, 6.2, 6.45, 6.7)) {
            Splice s = new Splice(WAIT);
            s.feed(new Object(), a, 0, at(a, cut));
            s.feed(new Object(), a, at(a, 2.5), at(a, 5));
            Decoders.Decode d = Decoders.decode(write("spliced-identical-" + cut, s.bytes()).toString(), 60);
            assertEquals(0, d.exitCode());
            assertEquals("", d.errors(), "cut at " + cut + " s");
        }
    }
}
