package io.sluice.streams;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** m3u-proxy compatibility: a stream's id is the lowercase hex MD5 of its URL, so one URL is one stream. */
public final class StreamIds {
    private StreamIds() {
    }

    public static String of(String url) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(url.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }
}
