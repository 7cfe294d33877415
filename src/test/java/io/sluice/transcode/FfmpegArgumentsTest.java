package io.sluice.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Profiles become FFmpeg arguments that can only transcode: no file, no URL, no second input or output. */
class FfmpegArgumentsTest {

    @Test
    void aBuiltInProfileRendersItsDefaultsAndTheCallersVariables() {
        String hq = TranscodeProfiles.named("hq").orElseThrow().parameters();
        assertEquals(List.of("-c:v", "libx264", "-preset", "medium", "-crf", "20", "-c:a", "aac", "-b:a", "192k"),
                FfmpegArguments.of(hq, Map.of()));
        assertEquals(List.of("-c:v", "libx264", "-preset", "ultrafast", "-crf", "28", "-c:a", "aac", "-b:a", "192k"),
                FfmpegArguments.of(hq, Map.of("preset", "ultrafast", "crf", "28")));
    }

    @Test
    void everyBuiltInProfilePassesItsOwnChecks() {
        for (TranscodeProfile p : TranscodeProfiles.all()) {
            assertTrue(!FfmpegArguments.of(p.parameters(), Map.of()).isEmpty(), p.name());
        }
    }

    @Test
    void anM3uProxyTemplateLosesItsInputFormatAndOutputWhichSluiceSets() {
        String template = "-i {input_url} -c:v libx264 -preset faster -vf \"scale=1280:720\" -b:v {video_bitrate|2M} "
                + "-c:a aac -f {format|mp4} {output_args|}";
        assertEquals(List.of("-c:v", "libx264", "-preset", "faster", "-vf", "scale=1280:720", "-b:v", "2M", "-c:a", "aac"),
                FfmpegArguments.of(template, Map.of()));
    }

    /** M3U Editor's stock default profile (its migration 2025_11_16_000001 and ListStreamProfiles), verbatim. */
    static final String EDITOR_DEFAULT = "-fflags +genpts+discardcorrupt+igndts -i {input_url} -c:v libx264 -preset faster "
            + "-b:v {bitrate|2000k} -maxrate {maxrate|2500k} -bufsize {bufsize|2500k} -c:a aac -b:a {audio_bitrate|128k} "
            + "-f mpegts {output_args|pipe:1}";
    /** Its stock HLS profile. */
    static final String EDITOR_HLS = "-fflags +genpts+discardcorrupt+igndts -i {input_url} -c:v libx264 -preset faster "
            + "-b:v {bitrate|2000k} -maxrate {maxrate|2500k} -bufsize {bufsize|2500k} -c:a aac -b:a {audio_bitrate|128k} "
            + "-hls_time 2 -hls_list_size 30 -hls_flags program_date_time -f hls {output_args|index.m3u8}";
    /** Its constant-quality HLS variants: fMP4 segments, and FFmpeg's own segment names. */
    static final String EDITOR_HLS_FMP4 = "-fflags +genpts+discardcorrupt+igndts -i {input_url} -c:v libx264 -preset faster "
            + "-b:v {bitrate|2000k} -maxrate {maxrate|2500k} -bufsize {bufsize|2500k} -c:a aac -b:a {audio_bitrate|128k} "
            + "-hls_time 2 -hls_list_size 30 -hls_flags program_date_time -hls_segment_type fmp4 -f hls {output_args|index.m3u8}";
    static final String EDITOR_HLS_CRF = "-fflags +genpts+discardcorrupt+igndts -i {input_url} -c:v libx264 -preset faster "
            + "-crf {crf|23} -maxrate {maxrate|2500k} -bufsize {bufsize|5000k} -c:a aac -b:a {audio_bitrate|192k} -hls_time 2 "
            + "-hls_list_size 30 -hls_flags program_date_time -hls_segment_filename segment_%03d.ts -f hls {output_args|index.m3u8}";

    @Test
    void theEditorsStockDefaultProfileKeepsItsInputFlagsBeforeTheInput() {
        FfmpegArguments.Checked c = FfmpegArguments.checked(EDITOR_DEFAULT, Map.of());
        assertEquals(List.of("-fflags", "+genpts+discardcorrupt+igndts"), c.input());
        assertEquals(List.of("-c:v", "libx264", "-preset", "faster", "-b:v", "2000k", "-maxrate", "2500k", "-bufsize", "2500k",
                "-c:a", "aac", "-b:a", "128k"), c.output());
        assertEquals(null, c.hls());
        assertEquals("1500k", FfmpegArguments.checked(EDITOR_DEFAULT, Map.of("bitrate", "1500k")).output().get(5));
    }

    @Test
    void theEditorsStockHlsProfilesAskForHlsWhoseOptionsSluiceReads() {
        for (String t : List.of(EDITOR_HLS, EDITOR_HLS_FMP4, EDITOR_HLS_CRF)) {
            FfmpegArguments.Checked c = FfmpegArguments.checked(t, Map.of());
            assertEquals(new FfmpegArguments.Hls(2, 30), c.hls(), t);
            assertEquals(List.of("-fflags", "+genpts+discardcorrupt+igndts"), c.input());
            assertTrue(c.output().stream().noneMatch(a -> a.startsWith("-hls") || a.contains("m3u8") || a.equals("-f")), c.output().toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "-fflags +genpts -i {input_url} -c:v libx264 -hls_time 2 -f mpegts",   // HLS options without HLS
            "-f lavfi -i {input_url} -c:v libx264",                                  // an input format (devices, filters)
            "-fflags +genpts+custom_io -i {input_url} -c:v libx264",                 // a format flag outside the list
            "-protocol_whitelist file,http -i {input_url} -c:v libx264",             // widening what FFmpeg may open
            "-i {input_url} -c:v libx264 -hls_segment_filename /tmp/seg%03d.ts -f hls", // segments into a directory
            "-i {input_url} -c:v libx264 -hls_segment_filename ../x%d.ts -f hls",
            "-i {input_url} -c:v libx264 -hls_flags +delete_segments+exec -f hls",  // an unknown hls flag
            "-i {input_url} -c:v libx264 -hls_time 999 -f hls",                      // beyond the bound
            "-i {input_url} -c:v libx264 -f hls /tmp/index.m3u8",                     // an output file
            "-i {input_url} -c:v libx264 -hls_key_info_file /etc/keyinfo -f hls",     // an hls option that reads a file
            "-i {input_url} -c:v libx264 -f segment",                                  // another muxer that writes files
            "-c:v libx264 /tmp/out.ts",                         // a bare word is an output file
            "-c:v libx264 -y out.ts",                            // overwrite + output
            "-i /etc/passwd -c copy",                            // a second input
            "-i {input_url} -i http://evil.example/x.ts",        // a second input, over the network
            "-c:v libx264 -f mp4",                               // not MPEG-TS
            "-vf movie=/etc/passwd",                             // a filter that opens files
            "-filter_complex amovie=x.wav",                      // an option outside the list
            "-vf scale=1280:720,subtitles=/etc/passwd",          // one bad filter in a chain
            "-c:v libx264 -passlogfile /tmp/x",                  // an option that writes a file
            "-c:v file:/etc/passwd",                             // a protocol as a value
            "-map concat:a.ts|b.ts",                             // a protocol as a value
            "-c:v libx264 -preset",                              // an option without its value
            "-c:v \"libx264",                                    // an unclosed quote
            "-c:v {codec}",                                      // no value and no default
            "-c:v {codec|libx264",                               // unbalanced braces
            "-report",                                           // writes a log file
            "-vf [in\\]null=1]metadata=mode=print:file=x.txt", // a label hiding a filter that writes files
            "-vf \"['in]null=']drawtext=textfile=/etc/hostname\"", // the same with quotes, reading a file
            "-vf null,metadata=mode=print:file=tcp\\://127.0.0.1\\:9", // a filter opening a connection
            "-vf scale=320:240;[a]null",                         // graph syntax beyond a plain chain
            "-vf null@x",                                        // instance names
            "-c:v libx264 -x264-params stats=/tmp/x.log:pass=1", // encoder parameters that write files
            "-c:v libx264 -x264-params qpfile=/etc/hostname",    // ... or read them
            "-c:v libx265 -x265-params csv=/tmp/x.csv",
            "-c:v libx264 -flags +pass1",                        // two-pass logs in the working directory
            "-c:v h264_v4l2m2m",                                 // an encoder outside the list
            "-c:a aac -ac 2\\1",                               // escapes
            "{input_url}"                                        // the input out of place
    })
    void anythingThatCouldReadOrWriteElsewhereIsRefused(String template) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FfmpegArguments.of(template, Map.of()));
        assertTrue(e.getMessage().startsWith("profile"), e.getMessage());
    }

    @Test
    void variablesCannotAddArgumentsOrNameFiles() {
        String template = TranscodeProfiles.named("default").orElseThrow().parameters();
        for (Map<String, String> bad : List.of(
                Map.of("preset", "fast -y /tmp/x"),
                Map.of("preset", "fast\"x"),
                Map.of("video_bitrate", "/etc/passwd"),
                Map.of("input_url", "http://other.example/"),
                Map.of("Preset", "fast"),
                Map.of("format", "mp4"))) {
            assertThrows(IllegalArgumentException.class, () -> FfmpegArguments.of(template, bad), bad.toString());
        }
    }

    @Test
    void sizesAreBounded() {
        assertThrows(IllegalArgumentException.class, () -> FfmpegArguments.of("-an ".repeat(1100), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> FfmpegArguments.of("-an ".repeat(201), Map.of()));
        java.util.Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 51; i++) {
            many.put("v" + i, "1");
        }
        assertThrows(IllegalArgumentException.class, () -> FfmpegArguments.of("-an", many));
    }

    @Test
    void streamSpecifiersAndFiltersThatOnlyTransformArePassedThrough() {
        assertEquals(List.of("-c:v:0", "libx264", "-b:a:1", "96k", "-vf", "yadif,scale=-2:720,fps=25", "-af",
                        "aresample=48000,volume=0.8", "-vn", "-r", "30000/1001"),
                FfmpegArguments.of("-c:v:0 libx264 -b:a:1 96k -vf yadif,scale=-2:720,fps=25 -af aresample=48000,volume=0.8 "
                        + "-vn -r 30000/1001", Map.of()));
    }
}
