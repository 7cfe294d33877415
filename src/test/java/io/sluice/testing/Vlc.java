package io.sluice.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's VLC (cvlc, headless) as a player whose decoded audio is written to a WAV file (its afile output).
 * VLC refuses to run as root, so as root it runs as {@code nobody} through runuser, writing into a directory
 * made writable for that user.
 */
public final class Vlc {
    private Vlc() {
    }

    /** What VLC wrote: its log and the audio it played. */
    public record Run(String log, Wav audio) {
    }

    /** Plays {@code url} for {@code seconds} and returns the audio VLC decoded (the last audio output it opened). */
    public static Run play(String url, int seconds) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("sluice-vlc");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path wav = dir.resolve("audio.wav");
        Path log = dir.resolve("vlc.log");
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        cmd.addAll(List.of("cvlc", "-I", "dummy", "--no-video", "--play-and-exit", "--run-time=" + seconds,
                "--aout", "afile", "--audiofile-file", wav.toString(), "--audiofile-format", "s16",
                "--audiofile-channels", "1", url));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        String text = Files.isRegularFile(log) ? Files.readString(log) : "";
        File f = wav.toFile();
        Wav audio = f.isFile() ? Wav.read(Files.readAllBytes(wav)) : null;
        return new Run(text, audio);
    }
}
