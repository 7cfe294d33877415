package io.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Debian's ffmpeg and ffprobe as players: what they decode from a URL or file, and what they complain about. */
public final class Decoders {
    private Decoders() {
    }

    /** What one ffmpeg run decoded, and what it logged at level "error". */
    public record Decode(int exitCode, double seconds, String errors) {
        public long errorLines() {
            return errors.isBlank() ? 0 : errors.lines().count();
        }

        /** Packets of output stream {@code index} that ffmpeg could not decode ("Error while decoding stream"). */
        public long failedPackets(int index) {
            return errors.lines().filter(l -> l.startsWith("Error while decoding stream #0:" + index + ":")).count();
        }

        /** Lines where a decoder of {@code codec} (h264, aac, mp2 ...) complained. */
        public long decoderErrors(String codec) {
            return errors.lines().filter(l -> l.startsWith("[" + codec + " @")).count();
        }

        /**
         * The null muxer's complaints that a stream's timestamps went back (libavformat's muxer check, which the
         * null muxer ignores): ffmpeg's own re-timing of a timestamp jump (the splice) can put the new source's
         * first picture on the old one's last tick. Not a decoder's complaint.
         */
        public long timestampComplaints() {
            return errors.lines().filter(l -> l.contains("non monotonically increasing dts")).count();
        }

        /**
         * Error lines that are neither the decoders' of {@code codecs}, nor the above, nor a failed packet (see
         * {@link #failedPackets}), nor ffmpeg's "Last message repeated".
         */
        public List<String> otherErrors(String... codecs) {
            return errors.lines().filter(l -> !l.isBlank() && !l.contains("non monotonically increasing dts")
                    && !l.contains("Last message repeated")
                    && Arrays.stream(codecs).noneMatch(c -> l.startsWith("[" + c + " @"))
                    && !l.startsWith("Error while decoding stream")).toList();
        }
    }

    /**
     * ffprobe's packets per stream index, split where a stream's timestamps jump (a splice): a player's view of
     * which streams go on after a change of source.
     */
    public record Probe(int streams, List<int[]> packets, List<String> codecs) {
        /** Packets of stream {@code index} after its first timestamp jump of more than a second (0 if none). */
        public int packetsAfterSplice(int index) {
            return index < packets.size() ? packets.get(index)[1] : 0;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("streams=" + streams + " codecs=" + codecs);
            for (int i = 0; i < packets.size(); i++) {
                b.append(" #").append(i).append(": ").append(packets.get(i)[0]).append(" before, ")
                        .append(packets.get(i)[1]).append(" after");
            }
            return b.toString();
        }
    }

    /**
     * Decodes video 0 and audio 0, as a player following its first streams does. The decoded pictures keep the
     * input's time base (-enc_time_base -1): by default ffmpeg would put them on ticks of the first source's frame
     * rate, and after a splice to a source of twice that rate every other picture would collide with the one
     * before it in the null muxer's check, a complaint about the command, not about the stream.
     */
    public static Decode decode(String input, int maxSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", input,
                "-map", "0:v:0", "-map", "0:a:0", "-enc_time_base:v", "-1", "-t", Integer.toString(maxSeconds),
                "-f", "null", "-progress", "pipe:1", "-")).start();
        CompletableFuture<String> progress = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(maxSeconds + 40L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ffmpeg did not finish: " + errors.getNow(""));
        }
        Matcher m = Pattern.compile("out_time_us=(\\d+)").matcher(progress.join());
        long us = 0;
        while (m.find()) {
            us = Long.parseLong(m.group(1));
        }
        return new Decode(p.exitValue(), us / 1e6, errors.join().trim());
    }

    public static Probe probe(String input, int maxSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("ffprobe", "-v", "error", "-show_entries",
                "packet=stream_index,dts_time:stream=index,codec_name", "-of", "csv=p=0:nk=0", input)).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(maxSeconds + 40L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ffprobe did not finish: " + err.getNow(""));
        }
        List<int[]> counts = new ArrayList<>();
        List<Double> last = new ArrayList<>();
        List<String> codecs = new ArrayList<>();
        for (String line : out.join().lines().toList()) {
            String[] f = line.split(",");
            if (line.startsWith("index=")) {
                codecs.add(f.length > 1 ? f[1].replace("codec_name=", "") : "?");
                continue;
            }
            if (!line.startsWith("stream_index=") || f.length < 2) {
                continue;
            }
            int index = Integer.parseInt(f[0].substring("stream_index=".length()));
            String t = f[1].substring("dts_time=".length());
            while (counts.size() <= index) {
                counts.add(new int[3]);
                last.add(null);
            }
            int[] c = counts.get(index);
            if (!t.equals("N/A")) {
                double dts = Double.parseDouble(t);
                Double prev = last.get(index);
                if (prev != null && Math.abs(dts - prev) > 1.0 && c[2] == 0) {
                    c[2] = 1; // the splice: from here on, "after"
                }
                last.set(index, dts);
            }
            c[c[2] == 0 ? 0 : 1]++;
        }
        return new Probe(counts.size(), counts, codecs);
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
