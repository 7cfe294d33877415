package io.sluice.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's mpv as a headless player: no video, its decoded audio written to a WAV file (the pcm audio output). */
public final class Mpv {
    private Mpv() {
    }

    /** What mpv wrote: its log (warnings and errors) and the audio it played. */
    public record Run(String log, Wav audio) {
    }

    /** Plays {@code url} for {@code seconds} of wall time, then asks mpv to quit (it closes its WAV file then). */
    public static Run play(String url, int seconds) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("sluice-mpv");
        Path wav = dir.resolve("audio.wav");
        Path log = dir.resolve("mpv.log");
        Process p = new ProcessBuilder(List.of("mpv", "--no-config", "--no-terminal", "--msg-level=all=warn",
                "--log-file=" + log, "--no-video", "--ao=pcm", "--ao-pcm-file=" + wav, "--audio-channels=mono",
                "--audio-format=s16", url)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroy(); // SIGTERM: mpv quits cleanly and finishes the WAV header
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
        String text = Files.isRegularFile(log) ? Files.readString(log) : "";
        Wav audio = Files.isRegularFile(wav) ? Wav.read(Files.readAllBytes(wav)) : null;
        return new Run(text, audio);
    }
}
