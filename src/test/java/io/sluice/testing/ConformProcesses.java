package io.sluice.testing;

import java.util.List;
import java.util.stream.Stream;

/** The audio conforms a Sluice runs: its FFmpeg children reading MPEG-TS from standard input with kept timestamps. */
public final class ConformProcesses {
    private ConformProcesses() {
    }

    /** The audio conform processes among {@code sluice}'s descendants (the JVM the WAR runs in). */
    public static Stream<ProcessHandle> of(ProcessHandle sluice) {
        return sluice.descendants().filter(h -> h.info().arguments()
                .map(a -> List.of(a).containsAll(List.of("pipe:0", "-copyts"))).orElse(false));
    }
}
