package io.sluice.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The last non-blank line a child process (FFmpeg) wrote to standard error: its reason for ending, for events and
 * logs. URLs are replaced by {@code <url>}, so provider URLs and the credentials some carry stay out of both; a
 * line is cut to 300 characters.
 */
public final class LastErrorLine {
    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://\\S+");
    private static final int MAX_LENGTH = 300;

    private volatile String line = "";
    private volatile Thread reader;

    /** Reads {@code p}'s standard error on a daemon thread of its own named {@code threadName}. */
    public void follow(Process p, String threadName) {
        Thread t = DaemonThreads.named(threadName).newThread(() -> readFrom(p));
        reader = t;
        t.start();
    }

    /**
     * The last line once the process has exited: waits (at most two seconds) for its standard error to be read to
     * the end, since the line that says why it ended is often written just before it exits.
     */
    public String afterExit() {
        Thread t = reader;
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return line;
    }

    /** Reads {@code p}'s standard error until it closes; blocks, so it runs on a thread of its own. */
    public void readFrom(Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String next = r.readLine(); next != null; next = r.readLine()) {
                if (!next.isBlank()) {
                    String clean = URL.matcher(next.trim()).replaceAll("<url>");
                    line = clean.length() > MAX_LENGTH ? clean.substring(0, MAX_LENGTH) : clean;
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The last line so far; empty when there was none. */
    public String get() {
        return line;
    }
}
