package io.sluice.transcode;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Options a template puts before {@code -i {input_url}} (M3U Editor's stock profiles start with
 * {@code -fflags +genpts+discardcorrupt+igndts}): only ones that change how the source is read, none that names a
 * file, a device or another protocol.
 */
final class InputOptions {
    private static final Set<String> FLAGS = Set.of("-re");
    private static final Set<String> NUMBERS = Set.of("-analyzeduration", "-probesize", "-thread_queue_size");
    /** Format flags for reading: timestamps and damaged packets, nothing that opens anything. */
    private static final Set<String> FORMAT_FLAGS = Set.of("genpts", "discardcorrupt", "igndts", "ignidx",
            "nobuffer", "nofillin", "noparse", "sortdts", "fastseek");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,10}");

    private InputOptions() {
    }

    static List<String> check(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (FLAGS.contains(a)) {
                continue;
            }
            if (!a.equals("-fflags") && !NUMBERS.contains(a)) {
                throw new IllegalArgumentException("profile: input option " + clip(a) + " is not allowed "
                        + "(before -i: -fflags, -re, -analyzeduration, -probesize, -thread_queue_size)");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("profile: option " + a + " needs a value");
            }
            String value = args.get(++i);
            if (a.equals("-fflags")) {
                for (String flag : value.split("(?=[+-])")) {
                    String name = flag.replaceFirst("^[+-]", "");
                    if (!FORMAT_FLAGS.contains(name)) {
                        throw new IllegalArgumentException("profile: -fflags " + clip(name) + " is not allowed (known: "
                                + String.join(", ", new java.util.TreeSet<>(FORMAT_FLAGS)) + ")");
                    }
                }
            } else if (!NUMBER.matcher(value).matches()) {
                throw new IllegalArgumentException("profile: the value of " + a + " must be a whole number");
            }
        }
        return List.copyOf(args);
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
