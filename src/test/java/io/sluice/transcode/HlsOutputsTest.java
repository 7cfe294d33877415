package io.sluice.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which HLS outputs get a key frame forced at every segment boundary, and how segments are named. */
class HlsOutputsTest {

    @Test
    void aProfileThatEncodesVideoIsToldWhereSegmentsBegin() {
        assertTrue(HlsOutputs.encodesVideo(FfmpegArguments.of(FfmpegArgumentsTest.EDITOR_HLS, Map.of())));
        assertTrue(HlsOutputs.encodesVideo(List.of("-vcodec", "libx265")));
        assertFalse(HlsOutputs.encodesVideo(List.of("-c:v", "copy", "-c:a", "aac")), "copied video keeps its key frames");
        assertFalse(HlsOutputs.encodesVideo(List.of("-c:a", "aac", "-vn")));
    }

    @Test
    void segmentsAreNamedInTheStreamsOwnRoute() {
        assertEquals("t000042.ts", HlsOutputs.segmentName(42));
    }
}
