package io.sluice.hls;

import io.sluice.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, signed, expiring references to upstream URLs (SPEC 4, 7.3). A player can fetch only what a Sluice
 * playlist handed out for that stream, and cannot read what it names: a provider's URL often carries the
 * account's user name and password.
 *
 * <p>A reference is {@code base64url(version · nonce · AES-256-GCM(expiry · url))}, with the stream id as
 * associated data, so a reference is bound to its stream and any changed byte fails the tag check. The nonce
 * is synthetic (an HMAC of what is encrypted, under a second key): no random nonce can repeat however many
 * references a long-running instance hands out, and the same URL and expiry give the same reference. Both keys
 * are derived from {@code SEGMENT_SIGNING_KEY} (shared by instances behind a balancer), or random per start.
 */
@ApplicationScoped
public class SegmentReferences {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int MAX_REFERENCE = 16 * 1024;
    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final String VALUE = "sluice-value:";

    @Inject
    Settings settings;

    private SecretKeySpec encryptionKey;
    private SecretKeySpec nonceKey;

    @PostConstruct
    void init() {
        byte[] secret;
        if (settings.segmentSigningKey().isPresent()) {
            // Shared by every instance behind a load balancer, so any of them accepts the others' references.
            secret = settings.segmentSigningKey().get().getBytes(StandardCharsets.UTF_8);
        } else {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        }
        deriveKeys(secret);
    }

    /** For tests and tools: references made with a known key. */
    public static SegmentReferences withKey(String secret, Settings settings) {
        SegmentReferences r = new SegmentReferences();
        r.settings = settings;
        r.deriveKeys(secret.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** One key per purpose, each an HMAC of the setting under its own label: neither tells anything of the other. */
    private void deriveKeys(byte[] secret) {
        encryptionKey = new SecretKeySpec(hmac(new SecretKeySpec(secret, "HmacSHA256"), "sluice reference encryption v1"), "AES");
        nonceKey = new SecretKeySpec(hmac(new SecretKeySpec(secret, "HmacSHA256"), "sluice reference nonce v1"), "HmacSHA256");
    }

    public String sign(String streamId, URI upstream) {
        return seal(streamId, upstream.toString(), defaultExpiry());
    }

    /** For tests and tools: a reference that expires at {@code epochSecond}. */
    public String sign(String streamId, URI upstream, long epochSecond) {
        return seal(streamId, upstream.toString(), epochSecond);
    }

    String sign(String streamId, String url, long expiry) {
        return seal(streamId, url, expiry);
    }

    /**
     * A sealed value that is not a URL (a variant's position in its master): its own prefix keeps it from ever
     * passing as a URL reference, and a URL reference from passing as one of these.
     */
    public String signValue(String streamId, String value) {
        return seal(streamId, VALUE + value, defaultExpiry());
    }

    public Optional<String> verifyValue(String streamId, String reference) {
        return opened(streamId, reference).filter(v -> v.startsWith(VALUE)).map(v -> v.substring(VALUE.length()));
    }

    /** The URL behind a reference, when it was made by us for this stream and has not expired. */
    public Optional<URI> verify(String streamId, String reference) {
        return opened(streamId, reference).flatMap(url -> {
            try {
                URI uri = new URI(url);
                String scheme = uri.getScheme();
                // Made by us means produced by the rewriter, which only hands out http(s); checked again anyway.
                if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                    return Optional.empty();
                }
                return Optional.of(uri);
            } catch (java.net.URISyntaxException e) {
                return Optional.empty();
            }
        });
    }

    private long defaultExpiry() {
        return System.currentTimeMillis() / 1000 + settings.segmentReferenceTtl().toSeconds();
    }

    private String seal(String streamId, String text, long expiry) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] plain = ByteBuffer.allocate(Long.BYTES + utf8.length).putLong(expiry).put(utf8).array();
        byte[] nonce = Arrays.copyOf(nonceFor(streamId, plain), NONCE);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(streamId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            return B64.encodeToString(ByteBuffer.allocate(1 + NONCE + sealed.length).put(VERSION).put(nonce)
                    .put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    }

    /** The text of a reference, when it was made by us for this stream and has not expired. */
    private Optional<String> opened(String streamId, String reference) {
        if (reference == null || reference.isEmpty() || reference.length() > MAX_REFERENCE) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = B64D.decode(reference);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // Only the exact text we handed out: base64 tolerates changes in its unused low bits.
        if (raw.length < 1 + NONCE + TAG_BITS / 8 + Long.BYTES || raw[0] != VERSION
                || !B64.encodeToString(raw).equals(reference)) {
            return Optional.empty();
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, raw, 1, NONCE));
            c.updateAAD(streamId.getBytes(StandardCharsets.UTF_8));
            byte[] plain = c.doFinal(raw, 1 + NONCE, raw.length - 1 - NONCE);
            ByteBuffer b = ByteBuffer.wrap(plain);
            long expiry = b.getLong();
            if (expiry < System.currentTimeMillis() / 1000) {
                return Optional.empty();
            }
            return Optional.of(new String(plain, Long.BYTES, plain.length - Long.BYTES, StandardCharsets.UTF_8));
        } catch (AEADBadTagException e) {
            return Optional.empty(); // not ours, not for this stream, or changed
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    }

    private byte[] nonceFor(String streamId, byte[] plain) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(nonceKey);
            mac.update(streamId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static byte[] hmac(SecretKeySpec key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
