package io.sluice.transcode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a profile template and the caller's variables into the FFmpeg arguments that go between Sluice's input
 * and output, and refuses anything that could make FFmpeg read or write something other than the stream: every
 * option must be a known encoding option, every filter a known pure filter, and no value may name a file or a
 * protocol. FFmpeg runs without a shell, so quoting cannot inject commands; what is checked here is what FFmpeg
 * itself would do with the arguments. m3u-proxy templates carry their own input ({@code -i {input_url}}), format
 * and output ({@code {output_args}}): those parts are dropped, since Sluice sets them.
 */
public final class FfmpegArguments {
    static final int MAX_TEMPLATE = 4096;
    static final int MAX_ARGUMENTS = 200;
    static final int MAX_VARIABLES = 50;

    private static final String INPUT = "\u0000input";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}|]*)(?:\\|([^{}]*))?}");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,63}");
    /** A variable's value becomes (part of) one argument: no spaces, quotes or braces to make it more. */
    private static final Pattern VARIABLE_VALUE = Pattern.compile("[A-Za-z0-9._:=+,/-]{1,256}");
    private static final Pattern URL_OR_PROTOCOL = Pattern.compile(
            "(?i)(://|^(file|pipe|fd|concat|concatf|subfile|data|cache|async|crypto|http|https|tcp|udp|tls|rtmp|rtmps"
                    + "|rtp|srt|unix|ftp|sftp|smb|gopher|icecast|hls|md5|ipfs|ipns|zmq):)");

    /**
     * Options that take a value (stream specifiers such as {@code :v} or {@code :a:0} stripped). Left out on
     * purpose: encoder parameter strings ({@code -x264-params stats=…}, {@code qpfile=…}), {@code -flags}
     * ({@code +pass1} writes a log file), bitstream filters and anything else whose value can name a file.
     */
    private static final Set<String> VALUE_OPTIONS = Set.of(
            "c", "codec", "vcodec", "acodec", "b", "maxrate", "minrate", "bufsize", "preset", "crf", "qp", "q",
            "qscale", "tune", "profile", "level", "pix_fmt", "g", "keyint_min", "sc_threshold", "bf", "refs", "r",
            "s", "aspect", "vf", "af", "filter", "ac", "ar", "map", "threads", "force_key_frames", "fps_mode",
            "vsync", "t", "ss", "muxrate", "sample_fmt", "channel_layout", "max_muxing_queue_size",
            "avoid_negative_ts", "mpegts_service_id", "mpegts_pmt_start_pid", "mpegts_start_pid", "pcr_period",
            "max_interleave_delta", "strict");
    private static final Set<String> CODEC_OPTIONS = Set.of("c", "codec", "vcodec", "acodec");
    /** Encoders by name: software ones, and hardware ones that open only the device FFmpeg itself picks. */
    private static final Set<String> ENCODERS = Set.of("copy", "libx264", "libx265", "h264", "hevc", "mpeg2video",
            "mpeg4", "aac", "mp2", "libmp3lame", "ac3", "eac3", "libopus", "h264_nvenc", "hevc_nvenc", "h264_vaapi",
            "hevc_vaapi", "h264_qsv", "hevc_qsv");
    /** Options without a value. */
    private static final Set<String> FLAG_OPTIONS = Set.of("an", "vn", "sn", "dn", "shortest", "copyts",
            "start_at_zero");
    private static final Set<String> FILTER_OPTIONS = Set.of("vf", "af", "filter");
    /** Filters that only transform frames (none has an option that opens a file, a library or a connection). */
    private static final Set<String> FILTERS = Set.of("scale", "fps", "format", "yadif", "bwdif", "w3fdif",
            "setsar", "setdar", "crop", "pad", "hqdn3d", "transpose", "hflip", "vflip", "framerate", "setpts",
            "null", "anull", "aresample", "volume", "loudnorm", "aformat", "pan", "atempo", "dynaudnorm",
            "asetpts", "deblock", "unsharp", "fieldorder");
    /**
     * One filter of a plain chain, {@code name} or {@code name=arguments}: no labels, escapes, quotes or
     * instance names, which FFmpeg's graph parser reads differently from a simple split.
     */
    private static final Pattern FILTER_ITEM = Pattern.compile("[a-z0-9_]+(=[A-Za-z0-9_.:=+*/()-]*)?");

    private FfmpegArguments() {
    }

    /**
     * What a template asks of FFmpeg once checked: options for the input (before {@code -i {input_url}}), options
     * for the output, and HLS output ({@code -f hls}) when asked for, whose segmenting Sluice does itself.
     */
    public record Checked(List<String> input, List<String> output, Hls hls) {
        public Checked {
            input = List.copyOf(input);
            output = List.copyOf(output);
        }
    }

    /** {@code -f hls} with its {@code -hls_time} and {@code -hls_list_size} (FFmpeg's defaults: 2 s, 5). */
    public record Hls(int segmentSeconds, int listSize) {
    }

    /** The checked output arguments; throws {@link IllegalArgumentException} naming what is wrong. */
    public static List<String> of(String template, Map<String, String> variables) {
        return checked(template, variables).output();
    }

    /** The checked template; throws {@link IllegalArgumentException} naming what is wrong. */
    public static Checked checked(String template, Map<String, String> variables) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("profile must not be empty");
        }
        if (template.length() > MAX_TEMPLATE) {
            throw new IllegalArgumentException("profile must be at most " + MAX_TEMPLATE + " characters");
        }
        if (template.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("profile: control characters are not allowed");
        }
        checkVariables(variables);
        List<String> args = split(render(template, variables));
        int input = inputIndex(args);
        List<String> before = input < 0 ? List.of() : args.subList(0, input);
        List<String> after = input < 0 ? args : args.subList(input + 2, args.size());
        HlsOptions hls = new HlsOptions();
        List<String> output = check(withoutFormat(after, hls));
        return new Checked(InputOptions.check(before), output, hls.result());
    }

    /** Where {@code -i {input_url}} is, or -1; any other input is refused. */
    private static int inputIndex(List<String> args) {
        int at = -1;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("-i")) {
                if (at >= 0 || i + 1 >= args.size() || !args.get(i + 1).equals(INPUT)) {
                    throw new IllegalArgumentException("profile: the only input is the stream's source ({input_url})");
                }
                at = i;
            }
        }
        return at;
    }

    static void checkVariables(Map<String, String> variables) {
        if (variables.size() > MAX_VARIABLES) {
            throw new IllegalArgumentException("profile_variables must have at most " + MAX_VARIABLES + " entries");
        }
        variables.forEach((name, value) -> {
            if (!VARIABLE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("profile_variables: '" + name + "' is not a variable name");
            }
            if (name.equals("input_url") || name.equals("output_args")) {
                throw new IllegalArgumentException("profile_variables: " + name + " is set by Sluice");
            }
            if (name.equals("format") && !value.equalsIgnoreCase("mpegts")) {
                throw new IllegalArgumentException("profile_variables: format must be mpegts: Sluice relays MPEG-TS");
            }
            if (!VARIABLE_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("profile_variables: the value of " + name
                        + " must be 1 to 256 letters, digits or . _ : = + , / -");
            }
        });
    }

    /** Fills {@code {name}} and {@code {name|default}}; Sluice's own {@code input_url}, {@code output_args}, {@code format}. */
    static String render(String template, Map<String, String> variables) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).trim();
            String fallback = m.group(2);
            String value = switch (name) {
                case "input_url" -> INPUT;
                case "output_args" -> "";
                case "format" -> variables.getOrDefault(name, "mpegts");
                default -> variables.containsKey(name) ? variables.get(name) : fallback;
            };
            if (value == null) {
                throw new IllegalArgumentException("profile: {" + name + "} has no value and no default");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String rendered = out.toString();
        if (rendered.indexOf('{') >= 0 || rendered.indexOf('}') >= 0) {
            throw new IllegalArgumentException("profile: unbalanced { } in the template");
        }
        return rendered;
    }

    /** Splits on spaces; single or double quotes keep spaces inside one argument. */
    static List<String> split(String s) {
        List<String> args = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean inArg = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 && ch != '\t' && ch != 0) {
                throw new IllegalArgumentException("profile: control characters are not allowed");
            }
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                inArg = true;
            } else if (ch == ' ' || ch == '\t') {
                if (inArg) {
                    args.add(cur.toString());
                    cur.setLength(0);
                    inArg = false;
                }
            } else {
                cur.append(ch);
                inArg = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("profile: unclosed quote");
        }
        if (inArg) {
            args.add(cur.toString());
        }
        if (args.size() > MAX_ARGUMENTS) {
            throw new IllegalArgumentException("profile: at most " + MAX_ARGUMENTS + " arguments");
        }
        return args;
    }

    /**
     * Drops the output format (mpegts, or hls whose options {@code hls} takes) and keeps the rest for the
     * allowlist. Sluice writes the output itself, so {@code {output_args}} rendered to nothing.
     */
    static List<String> withoutFormat(List<String> args, HlsOptions hls) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-f") && i + 1 < args.size()) {
                String format = args.get(++i).toLowerCase(Locale.ROOT);
                if (format.equals("hls")) {
                    hls.asked = true;
                } else if (!format.equals("mpegts")) {
                    throw new IllegalArgumentException("profile: the format must be mpegts or hls, not " + clip(args.get(i)));
                }
                continue;
            }
            if (a.contains(INPUT)) {
                throw new IllegalArgumentException("profile: {input_url} belongs after -i");
            }
            if (HlsOptions.takes(a)) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("profile: option " + a + " needs a value");
                }
                hls.take(a, args.get(++i));
                continue;
            }
            out.add(a);
        }
        return out;
    }

    /** The output allowlist on its own, for arguments Sluice builds from a caller's fields (broadcasts). */
    public static List<String> checkOutput(List<String> args) {
        return check(args);
    }

    static List<String> check(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("-") || a.length() < 2) {
                // FFmpeg takes a bare word as an output file.
                throw new IllegalArgumentException("profile: '" + a + "' is not an option (outputs are Sluice's)");
            }
            String name = optionName(a);
            if (FLAG_OPTIONS.contains(name)) {
                continue;
            }
            if (!VALUE_OPTIONS.contains(name)) {
                throw new IllegalArgumentException("profile: option " + a + " is not allowed");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("profile: option " + a + " needs a value");
            }
            String value = args.get(++i);
            checkValue(a, value);
            if (FILTER_OPTIONS.contains(name)) {
                checkFilters(a, value);
            }
            if (CODEC_OPTIONS.contains(name) && !ENCODERS.contains(value)) {
                throw new IllegalArgumentException("profile: encoder " + value + " is not allowed (known: "
                        + String.join(", ", new java.util.TreeSet<>(ENCODERS)) + ")");
            }
        }
        return List.copyOf(args);
    }

    /** {@code -c:v:0} → {@code c}; {@code -x264-params} stays whole. */
    static String optionName(String arg) {
        String name = arg.substring(1);
        int colon = name.indexOf(':');
        return colon > 0 ? name.substring(0, colon) : name;
    }

    private static void checkValue(String option, String value) {
        if (value.isEmpty() || value.length() > 1024) {
            throw new IllegalArgumentException("profile: the value of " + option + " must be 1 to 1024 characters");
        }
        if (URL_OR_PROTOCOL.matcher(value).find() || value.startsWith("/") || value.startsWith("~")
                || value.startsWith(".") || value.contains(INPUT) || value.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("profile: the value of " + option + " may not name a file or a URL");
        }
    }

    /** A plain chain of known filters, separated by commas; nothing FFmpeg's graph syntax could read otherwise. */
    private static void checkFilters(String option, String graph) {
        for (String item : graph.split(",", -1)) {
            if (!FILTER_ITEM.matcher(item).matches()) {
                throw new IllegalArgumentException("profile: " + option + " takes a plain chain of filters "
                        + "(name=arguments, separated by commas), not '" + clip(item) + "'");
            }
            int eq = item.indexOf('=');
            String name = eq >= 0 ? item.substring(0, eq) : item;
            if (!FILTERS.contains(name)) {
                throw new IllegalArgumentException("profile: filter " + name + " in " + option + " is not allowed");
            }
        }
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
