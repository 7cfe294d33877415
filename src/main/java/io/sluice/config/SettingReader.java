package io.sluice.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Parses raw setting strings; every rejection names the setting and what was expected. */
final class SettingReader {
    private final UnaryOperator<String> lookup;

    SettingReader(UnaryOperator<String> lookup) {
        this.lookup = lookup;
    }

    private Optional<String> raw(String name) {
        String v = lookup.apply(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    Optional<String> optionalText(String name) {
        return raw(name);
    }

    /** An absolute directory path without {@code ..} (a place Sluice may create, fill and clean). */
    Optional<String> optionalDirectory(String name) {
        return raw(name).filter(v -> !v.isBlank()).map(v -> {
            if (!v.startsWith("/") || v.contains("/../") || v.endsWith("/..") || v.equals("/")) {
                throw new InvalidSettingException(name, v, "an absolute directory such as /var/lib/sluice/dvr");
            }
            return v;
        });
    }

    String text(String name, String fallback) {
        return raw(name).orElse(fallback);
    }

    String path(String name, String fallback) {
        String v = raw(name).orElse(fallback);
        if (!v.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new InvalidSettingException(name, v, "a path such as /m3u-proxy");
        }
        return v;
    }

    Optional<String> optionalHttpUrl(String name) {
        return raw(name).map(v -> {
            try {
                URI u = new URI(v);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
                    return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
                }
            } catch (Exception e) {
                // reported below
            }
            throw new InvalidSettingException(name, v, "an http(s) URL with a host");
        });
    }

    /** A Redis server: {@code redis://[user:password@]host[:port][/db]}, or {@code rediss://} for TLS. */
    Optional<URI> optionalRedisUrl(String name) {
        return raw(name).map(v -> {
            try {
                URI u = new URI(v);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("redis") || scheme.equals("rediss")) && u.getHost() != null) {
                    return u;
                }
            } catch (Exception e) {
                // reported below
            }
            throw new InvalidSettingException(name, v, "a redis:// or rediss:// URL with a host");
        });
    }

    /** One of {@code allowed}, case-insensitive. */
    String choice(String name, String fallback, String... allowed) {
        return raw(name).map(v -> {
            for (String a : allowed) {
                if (a.equalsIgnoreCase(v)) {
                    return a;
                }
            }
            throw new InvalidSettingException(name, v, "one of " + String.join(", ", allowed));
        }).orElse(fallback);
    }

    boolean bool(String name, boolean fallback) {
        return raw(name).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new InvalidSettingException(name, v, "true or false");
        }).orElse(fallback);
    }

    int integer(String name, int fallback, int min, int max) {
        return raw(name).map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidSettingException(name, v, "an integer from " + min + " to " + max);
        }).orElse(fallback);
    }

    /** A comma-separated list of HTTP status codes, e.g. {@code 403,404,502,503}; empty by default. */
    java.util.Set<Integer> statusCodes(String name) {
        return raw(name).map(v -> {
            java.util.Set<Integer> codes = new java.util.TreeSet<>();
            for (String part : v.split(",")) {
                try {
                    int code = Integer.parseInt(part.trim());
                    if (code >= 400 && code <= 599) {
                        codes.add(code);
                        continue;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new InvalidSettingException(name, v, "HTTP error statuses (400-599) separated by commas");
            }
            return java.util.Set.copyOf(codes);
        }).orElse(java.util.Set.of());
    }

    Duration minutes(String name, double fallback) {
        double m = raw(name).map(v -> {
            try {
                double d = Double.parseDouble(v);
                if (d >= 0 && d <= 24 * 60) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidSettingException(name, v, "minutes from 0 to 1440");
        }).orElse(fallback);
        return Duration.ofNanos(Math.round(m * 60_000_000_000d));
    }

    /** Seconds, fractions allowed ("1.5"), as m3u-proxy's settings are written. */
    Duration seconds(String name, double fallback, double min, double max) {
        double s = raw(name).map(v -> {
            try {
                double d = Double.parseDouble(v);
                if (d >= min && d <= max) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidSettingException(name, v, "seconds from " + min + " to " + max);
        }).orElse(fallback);
        return Duration.ofNanos(Math.round(s * 1_000_000_000d));
    }

    /** A plain number (e.g. decibels), fractions allowed. */
    double decimal(String name, double fallback, double min, double max) {
        return raw(name).map(v -> {
            try {
                double d = Double.parseDouble(v);
                if (d >= min && d <= max) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidSettingException(name, v, "a number from " + min + " to " + max);
        }).orElse(fallback);
    }
}
