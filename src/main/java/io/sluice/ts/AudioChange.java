package io.sluice.ts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A new source whose audio is another codec than the one players opened on the same PID (AAC on the primary,
 * MP2 on the backup): what each of its audio streams, in PMT order, must be encoded to for those players, or
 * null where it can go as it is. Players such as ffmpeg 5.1 keep the decoder they opened for a PID whatever a
 * new PMT says, so the way to keep their sound is to send them the codec they opened (issue 14).
 */
public record AudioChange(List<String> encoders) {
    public AudioChange {
        encoders = Collections.unmodifiableList(new ArrayList<>(encoders)); // nulls allowed: "as it is"
    }

    /**
     * The change {@code source} would make, given for each of its audio streams (by order) the stream players
     * were first told about on the PID it goes to ({@code announced}, null when players have none there yet);
     * null when every audio stream can go as it is. Only codecs both told apart and encodable are conformed:
     * anything else goes as it is, as before.
     */
    public static AudioChange of(Pmt source, IntFunction<Pmt.Es> announced) {
        List<String> encoders = new ArrayList<>();
        boolean any = false;
        int index = 0;
        for (Pmt.Es es : source.streams()) {
            if (es.kind() != EsKind.AUDIO) {
                continue;
            }
            Pmt.Es players = announced.apply(index++);
            String encoder = null;
            if (players != null) {
                AudioCodec have = AudioCodec.of(players);
                AudioCodec comes = AudioCodec.of(es);
                if (have != comes && have.encoder() != null && comes != AudioCodec.UNKNOWN) {
                    encoder = have.encoder();
                    any = true;
                }
            }
            encoders.add(encoder);
        }
        return any ? new AudioChange(encoders) : null;
    }
}
