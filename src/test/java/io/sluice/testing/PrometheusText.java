package io.sluice.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Prometheus text exposition format (0.0.4) strictly enough for tests: every line is a comment,
 * a HELP/TYPE line, or {@code name{labels} value}; anything else fails the parse.
 */
public final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})?"
                    + " ([-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|NaN|Inf))( [0-9]+)?");
    private static final Pattern META = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");

    private PrometheusText() {
    }

    /** Sample name with its labels (as written) to value. */
    public static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isEmpty() || (line.startsWith("#") && (META.matcher(line).matches() || !line.startsWith("# ")))) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("line " + lineNo + " is not Prometheus text format: " + line);
            }
            String labels = m.group(2) == null ? "" : m.group(2);
            samples.put(m.group(1) + labels, Double.parseDouble(m.group(3).replace("Inf", "Infinity")));
        }
        return samples;
    }

    /** The sample named exactly {@code key}, else the first whose name and labels start with it; NaN if none. */
    public static double value(Map<String, Double> samples, String key) {
        Double exact = samples.get(key);
        if (exact != null) {
            return exact;
        }
        return samples.entrySet().stream().filter(e -> e.getKey().startsWith(key)).mapToDouble(Map.Entry::getValue)
                .findFirst().orElse(Double.NaN);
    }
}
