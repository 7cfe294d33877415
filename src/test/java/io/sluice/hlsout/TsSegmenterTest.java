package io.sluice.hlsout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.TestMedia;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** FFmpeg's MPEG-TS (30 s, a key frame every second) cut into segments players decode on their own. */
class TsSegmenterTest {

    private static List<TsSegmenter.Cut> cut(byte[] ts, int target, int chunk) {
        List<TsSegmenter.Cut> cuts = new ArrayList<>();
        TsSegmenter s = new TsSegmenter(target, cuts::add);
        for (int i = 0; i < ts.length; i += chunk) {
            s.accept(ts, i, Math.min(chunk, ts.length - i));
        }
        s.finish();
        return cuts;
    }

    @Test
    void segmentsStartAtKeyFramesAfterTheTargetAndAddUpToTheWhole() {
        List<TsSegmenter.Cut> cuts = cut(TestMedia.sourceTs(), 2, 64 * 1024);
        assertEquals(15, cuts.size(), cuts.toString());
        double total = 0;
        for (int i = 0; i < cuts.size(); i++) {
            TsSegmenter.Cut c = cuts.get(i);
            total += c.seconds();
            if (i < cuts.size() - 1) {
                assertEquals(2.0, c.seconds(), 0.01, "segment " + i);
            }
            assertEquals(0, c.bytes().length % TsSegmenter.PACKET);
            assertEquals(0, pid(c.bytes(), 0), "each segment opens with the PAT");
        }
        assertEquals(TestMedia.SECONDS, total, 0.1);
    }

    @Test
    void theChunkingOfTheInputDoesNotMatter() {
        List<TsSegmenter.Cut> whole = cut(TestMedia.sourceTs(), 4, 1 << 20);
        List<TsSegmenter.Cut> odd = cut(TestMedia.sourceTs(), 4, 1001);
        assertEquals(whole.size(), odd.size());
        for (int i = 0; i < whole.size(); i++) {
            assertArrayEquals(whole.get(i).bytes(), odd.get(i).bytes(), "segment " + i);
        }
    }

    @Test
    void aSegmentDecodesOnItsOwn() throws Exception {
        TsSegmenter.Cut middle = cut(TestMedia.sourceTs(), 2, 4096).get(7);
        File f = File.createTempFile("sluice-segment", ".ts", new File("target"));
        try {
            Files.write(f.toPath(), middle.bytes());
            Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-i", f.getPath(), "-f", "null", "-")
                    .redirectErrorStream(true).start();
            String errors = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), errors);
            assertEquals("", errors.trim(), "ffmpeg decodes the segment without a complaint");
        } finally {
            f.delete();
        }
    }

    @Test
    void garbageBetweenPacketsIsSkipped() {
        byte[] ts = TestMedia.sourceTs();
        byte[] noisy = new byte[ts.length + 3];
        System.arraycopy(ts, 0, noisy, 3, ts.length);
        assertEquals(cut(ts, 2, 8192).size(), cut(noisy, 2, 8192).size());
    }

    private static int pid(byte[] b, int at) {
        return ((b[at + 1] & 0x1f) << 8) | (b[at + 2] & 0xff);
    }
}
