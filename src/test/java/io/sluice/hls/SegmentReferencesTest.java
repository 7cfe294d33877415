package io.sluice.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.config.Settings;
import java.net.URI;
import java.util.Base64;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SegmentReferencesTest {
    private final Settings settings = Settings.from(n -> null);
    private final SegmentReferences refs = SegmentReferences.withKey("k1", settings);
    private final URI seg = URI.create("http://origin.tv/live/seg1.ts?token=a");

    @Test
    void aReferenceHandedOutVerifiesForItsStreamOnly() {
        String r = refs.sign("stream-a", seg);
        assertEquals(seg, refs.verify("stream-a", r).orElseThrow());
        assertTrue(refs.verify("stream-b", r).isEmpty(), "foreign stream");
    }

    @Test
    void anyChangedByteIsRefused() {
        String r = refs.sign("s", seg);
        for (int i = 0; i < r.length(); i++) {
            char c = r.charAt(i);
            String tampered = r.substring(0, i) + (char) (c == 'A' ? 'B' : 'A') + r.substring(i + 1);
            assertTrue(refs.verify("s", tampered).isEmpty(), "tampered at " + i);
        }
    }

    @Test
    void expiredForgedAndLocalReferencesAreRefused() {
        long past = System.currentTimeMillis() / 1000 - 1;
        assertTrue(refs.verify("s", refs.sign("s", seg.toString(), past)).isEmpty(), "expired");
        assertTrue(SegmentReferences.withKey("other", settings).verify("s", refs.sign("s", seg)).isEmpty(), "other key");
        String file = Base64.getUrlEncoder().withoutPadding().encodeToString("file:///etc/passwd".getBytes(StandardCharsets.UTF_8));
        assertTrue(refs.verify("s", file + ".99999999999.AAAA").isEmpty(), "unsigned file URL");
        assertTrue(refs.verify("s", refs.sign("s", "file:///etc/passwd", past + 3600)).isEmpty(), "signed file URL");
        assertTrue(refs.verify("s", "garbage").isEmpty());
        assertTrue(refs.verify("s", null).isEmpty());
    }

    @Test
    void aReferenceRevealsNothingOfTheUrlItNames() {
        URI xtream = URI.create("http://provider.example:8080/live/alice/s3cret/1234.ts");
        String r = refs.sign("s", xtream);
        assertEquals(xtream, refs.verify("s", r).orElseThrow());
        java.util.List<String> readings = new java.util.ArrayList<>(java.util.List.of(r));
        for (String part : r.split("\\.")) {
            try {
                readings.add(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.ISO_8859_1));
            } catch (IllegalArgumentException notBase64) {
                // nothing to read there
            }
        }
        for (String reading : readings) {
            for (String secret : new String[]{"alice", "s3cret", "provider.example", "1234.ts"}) {
                assertTrue(!reading.contains(secret), "the reference reveals " + secret);
            }
        }
    }

    @Test
    void valuesAndUrlsAreNeverTakenForEachOther() {
        String value = refs.signValue("s", "#EXT-X-STREAM-INF|0|0.0");
        assertTrue(refs.verify("s", value).isEmpty());
        assertEquals("#EXT-X-STREAM-INF|0|0.0", refs.verifyValue("s", value).orElseThrow());
        assertTrue(refs.verifyValue("s", refs.sign("s", seg)).isEmpty());
    }
}
