package io.sluice.streams;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Who a player is (SPEC 4): {@code client_id} if given, else derived from IP, User-Agent and stream id. */
public record PlayerIdentity(String clientId, String ipAddress, String userAgent, String username) {
    public static final int MAX_CLIENT_ID = 128;
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:@-]{1," + MAX_CLIENT_ID + "}");

    public static PlayerIdentity of(HttpServletRequest req, String streamId) {
        String ip = clientIp(req);
        String ua = limit(req.getHeader("User-Agent"), 512);
        String username = req.getHeader("X-Username");
        if (username == null || username.isBlank()) {
            username = req.getParameter("username");
        }
        username = limit(username, 128);
        String given = req.getParameter("client_id");
        String id = given != null && SAFE_ID.matcher(given).matches()
                ? given
                : derive(ip + "|" + (ua == null ? "" : ua) + "|" + streamId);
        return new PlayerIdentity(id, ip, ua, username);
    }

    private static String clientIp(HttpServletRequest req) {
        String xff = req.getHeader("X-Forwarded-For");
        if (xff != null && !xff.isBlank()) {
            String first = xff.split(",", 2)[0].trim();
            if (!first.isEmpty() && first.length() <= 64) {
                return first;
            }
        }
        return req.getRemoteAddr();
    }

    private static String limit(String s, int max) {
        if (s == null || s.isBlank()) {
            return null;
        }
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String derive(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "client_" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
