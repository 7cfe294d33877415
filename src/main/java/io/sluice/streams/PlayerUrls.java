package io.sluice.streams;

import io.sluice.config.Settings;
import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;

/** The URLs players are given: from {@code PUBLIC_BASE_URL}, else from the request and its X-Forwarded-* headers. */
public final class PlayerUrls {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");
    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~\\-]+)*");

    private PlayerUrls() {
    }

    public static String base(Settings settings, HttpServletRequest req) {
        if (settings.publicBaseUrl().isPresent()) {
            return settings.publicBaseUrl().get();
        }
        String proto = first(req.getHeader("X-Forwarded-Proto"));
        if (!"http".equalsIgnoreCase(proto) && !"https".equalsIgnoreCase(proto)) {
            proto = req.getScheme();
        }
        String host = first(req.getHeader("X-Forwarded-Host"));
        if (host == null || !HOST.matcher(host).matches()) {
            host = req.getHeader("Host");
            if (host == null || !HOST.matcher(host).matches()) {
                host = req.getServerName() + ":" + req.getServerPort();
            }
        }
        String prefix = first(req.getHeader("X-Forwarded-Prefix"));
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            prefix = "";
        }
        return proto.toLowerCase() + "://" + host + prefix + req.getContextPath();
    }

    public static String streamPath(Stream s) {
        return s.spec().kind() == StreamKind.HLS ? "/hls/" + s.id() + "/playlist.m3u8" : "/stream/" + s.id();
    }

    private static String first(String header) {
        if (header == null) {
            return null;
        }
        String v = header.split(",", 2)[0].trim();
        return v.isEmpty() ? null : v;
    }
}
