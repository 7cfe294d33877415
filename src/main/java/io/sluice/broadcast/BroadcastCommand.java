package io.sluice.broadcast;

import io.sluice.transcode.FfmpegArguments;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The FFmpeg command line of one programme: the source over http(s) only, from {@code seek_seconds}, in real time,
 * for {@code duration_seconds}, video and audio copied or transcoded, MPEG-TS on standard output for Sluice to cut.
 * What the caller's fields turn into passes the same allowlist as a transcoding profile.
 */
public final class BroadcastCommand {
    /** Devices a decoder acceleration needs; it is passed to FFmpeg only when its device is here. */
    private static final Map<String, List<String>> DEVICES = Map.of(
            "vaapi", List.of("/dev/dri/renderD128"),
            "qsv", List.of("/dev/dri/renderD128"),
            "cuda", List.of("/dev/nvidia0"),
            "nvdec", List.of("/dev/nvidia0"),
            "auto", List.of("/dev/dri/renderD128", "/dev/nvidia0"));

    private BroadcastCommand() {
    }

    /** Throws {@link IllegalArgumentException} (a 422) when a field makes arguments the allowlist refuses. */
    public static List<String> of(String ffmpeg, BroadcastRequest r, long readTimeoutMicros, String userAgent,
                                  Predicate<String> deviceExists) {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error",
                "-protocol_whitelist", "http,https,tcp,tls,crypto", "-rw_timeout", Long.toString(readTimeoutMicros),
                "-reconnect", "1", "-reconnect_streamed", "1", "-reconnect_delay_max", "10"));
        String hw = hwaccel(r, deviceExists);
        if (hw != null) {
            cmd.addAll(List.of("-hwaccel", hw));
        }
        if (r.seekSeconds() > 0) {
            cmd.addAll(List.of("-ss", Integer.toString(r.seekSeconds())));
        }
        cmd.add("-re");
        if (userAgent != null) {
            cmd.addAll(List.of("-user_agent", userAgent));
        }
        if (!r.headers().isEmpty()) {
            StringBuilder h = new StringBuilder();
            r.headers().forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
            cmd.addAll(List.of("-headers", h.toString()));
        }
        cmd.addAll(List.of("-i", r.streamUrl()));
        cmd.addAll(output(r));
        cmd.addAll(List.of("-f", "mpegts", "pipe:1"));
        return cmd;
    }

    /** Everything between the input and the format, checked. */
    static List<String> output(BroadcastRequest r) {
        List<String> out = new ArrayList<>();
        if (r.durationSeconds() > 0) {
            out.addAll(List.of("-t", Integer.toString(r.durationSeconds())));
        }
        // Video and audio only (no subtitles or data); either may be missing (radio, silent video).
        out.addAll(List.of("-map", "0:v:0?", "-map", "0:a:0?"));
        if (r.transcode()) {
            out.addAll(List.of("-c:v", r.videoCodec() == null ? "libx264" : r.videoCodec(),
                    "-preset", r.preset() == null ? "veryfast" : r.preset()));
            if (r.videoBitrate() != null) {
                out.addAll(List.of("-b:v", r.videoBitrate()));
            }
            if (r.videoResolution() != null) {
                out.addAll(List.of("-vf", "scale=" + r.videoResolution()));
            }
            // A key frame at every segment boundary, so segments cut where they should.
            out.addAll(List.of("-force_key_frames", "expr:gte(t,n_forced*" + r.segmentDuration() + ")"));
            out.addAll(List.of("-c:a", r.audioCodec() == null ? "aac" : r.audioCodec(),
                    "-b:a", r.audioBitrate() + "k", "-ar", "48000", "-ac", "2"));
        } else {
            out.addAll(List.of("-c:v", "copy", "-c:a", "copy"));
        }
        return FfmpegArguments.checkOutput(out);
    }

    static String hwaccel(BroadcastRequest r, Predicate<String> deviceExists) {
        if (!r.transcode() || r.hwaccel() == null || r.hwaccel().equals("none")) {
            return null;
        }
        List<String> devices = DEVICES.get(r.hwaccel());
        if (devices == null) {
            throw new IllegalArgumentException("hwaccel must be one of " + String.join(", ",
                    new java.util.TreeSet<>(DEVICES.keySet())) + " or none");
        }
        return devices.stream().anyMatch(deviceExists) ? r.hwaccel() : null;
    }
}
