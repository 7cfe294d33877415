package io.sluice.hls;

import io.sluice.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed references to upstream URLs (SPEC 7.3): a player can fetch only what a Sluice playlist handed out for
 * that stream, so the player routes never fetch a URL a player made up. A reference is
 * {@code base64url(url).expiry.base64url(hmac)}, the HMAC-SHA256 covering stream id, URL and expiry.
 */
@ApplicationScoped
public class SegmentReferences {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int MAX_REFERENCE = 16 * 1024;

    @Inject
    Settings settings;

    private SecretKeySpec key;

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
        key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** For tests and tools: references signed with a known key. */
    public static SegmentReferences withKey(String secret, Settings settings) {
        SegmentReferences r = new SegmentReferences();
        r.settings = settings;
        r.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        return r;
    }

    public String sign(String streamId, URI upstream) {
        long expiry = System.currentTimeMillis() / 1000 + settings.segmentReferenceTtl().toSeconds();
        return sign(streamId, upstream.toString(), expiry);
    }

    String sign(String streamId, String url, long expiry) {
        return B64.encodeToString(url.getBytes(StandardCharsets.UTF_8)) + "." + expiry + "."
                + B64.encodeToString(mac(streamId, url, expiry));
    }

    /**
     * A signed value that is not a URL (a variant's position in its master): its own prefix keeps it from ever
     * passing as a URL reference, and a URL reference from passing as one of these.
     */
    public String signValue(String streamId, String value) {
        long expiry = System.currentTimeMillis() / 1000 + settings.segmentReferenceTtl().toSeconds();
        return sign(streamId, VALUE + value, expiry);
    }

    public Optional<String> verifyValue(String streamId, String reference) {
        return checked(streamId, reference).filter(v -> v.startsWith(VALUE)).map(v -> v.substring(VALUE.length()));
    }

    private static final String VALUE = "sluice-value:";

    /** The URL behind a reference, when it was signed by us for this stream and has not expired. */
    public Optional<URI> verify(String streamId, String reference) {
        return checked(streamId, reference).flatMap(url -> {
            try {
                URI uri = new URI(url);
                String scheme = uri.getScheme();
                // Signed by us means produced by the rewriter, which only hands out http(s); checked again anyway.
                if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                    return Optional.empty();
                }
                return Optional.of(uri);
            } catch (java.net.URISyntaxException e) {
                return Optional.empty();
            }
        });
    }

    /** The signed text of a reference, when it was signed by us for this stream and has not expired. */
    private Optional<String> checked(String streamId, String reference) {
        if (reference == null || reference.length() > MAX_REFERENCE) {
            return Optional.empty();
        }
        String[] parts = reference.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            String url = new String(B64D.decode(parts[0]), StandardCharsets.UTF_8);
            long expiry = Long.parseLong(parts[1]);
            byte[] presented = B64D.decode(parts[2]);
            // Only the exact text we handed out: base64 tolerates changes in its unused low bits, and a
            // reference with any byte changed must be refused, not decoded to the same thing.
            if (!B64.encodeToString(url.getBytes(StandardCharsets.UTF_8)).equals(parts[0])
                    || !Long.toString(expiry).equals(parts[1]) || !B64.encodeToString(presented).equals(parts[2])) {
                return Optional.empty();
            }
            if (!MessageDigest.isEqual(mac(streamId, url, expiry), presented)) {
                return Optional.empty();
            }
            if (expiry < System.currentTimeMillis() / 1000) {
                return Optional.empty();
            }
            return Optional.of(url);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String streamId, String url, long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(streamId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '\n');
            mac.update(url.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '\n');
            mac.update(Long.toString(expiry).getBytes(StandardCharsets.UTF_8));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
