package io.sluice.testing;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Holds a JSON answer to a shape: {@code "path:type|type"} where a path is field names joined by dots, {@code []}
 * after a name meaning "every element", and a type one of string, number, boolean, object, array, null.
 * A field of the shape that is missing, or of another JSON type, is a failure (fields may be added, never
 * removed, renamed or re-typed: SPEC 3.2).
 */
public final class JsonShape {
    private JsonShape() {
    }

    /** Every mismatch, as {@code path: expected …, got …}; empty when the answer has the shape. */
    public static List<String> mismatches(JsonValue root, String... specs) {
        List<String> out = new ArrayList<>();
        for (String spec : specs) {
            int colon = spec.lastIndexOf(':');
            String path = spec.substring(0, colon);
            Set<String> types = Set.of(spec.substring(colon + 1).split("\\|"));
            check(root, path.split("\\."), 0, path, types, out);
        }
        return out;
    }

    private static void check(JsonValue at, String[] parts, int i, String path, Set<String> types, List<String> out) {
        if (i == parts.length) {
            String got = type(at);
            if (!types.contains(got)) {
                out.add(path + ": expected " + types + ", got " + got);
            }
            return;
        }
        if (at.getValueType() != JsonValue.ValueType.OBJECT) {
            out.add(path + ": no object at " + parts[i]);
            return;
        }
        String name = parts[i];
        boolean each = name.endsWith("[]");
        String key = each ? name.substring(0, name.length() - 2) : name;
        JsonObject o = at.asJsonObject();
        if (!o.containsKey(key)) {
            out.add(path + ": missing " + key);
            return;
        }
        JsonValue v = o.get(key);
        if (!each) {
            check(v, parts, i + 1, path, types, out);
            return;
        }
        if (v.getValueType() != JsonValue.ValueType.ARRAY) {
            out.add(path + ": " + key + " is not an array");
            return;
        }
        JsonArray a = v.asJsonArray();
        if (a.isEmpty()) {
            out.add(path + ": " + key + " is empty, nothing to check");
        }
        for (JsonValue e : a) {
            check(e, parts, i + 1, path, types, out);
        }
    }

    private static String type(JsonValue v) {
        return switch (v.getValueType()) {
            case TRUE, FALSE -> "boolean";
            default -> v.getValueType().name().toLowerCase(Locale.ROOT);
        };
    }
}
