package io.sluice.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The last line a real child process writes to standard error, as events and logs get it. */
class LastErrorLineTest {

    private static String lastLineOf(String script) throws Exception {
        Process p = new ProcessBuilder(List.of("sh", "-c", script)).start();
        LastErrorLine last = new LastErrorLine();
        last.readFrom(p); // returns when the process closes its standard error
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return last.get();
    }

    @Test
    void theLastNonBlankLineWinsWithItsUrlsAndTheirCredentialsHidden() throws Exception {
        assertEquals("[http @ 0x1] <url> Server returned 404 Not Found, from <url>", lastLineOf(
                "echo 'first complaint' >&2; echo 'to stdout, not kept';"
                        + " echo '  [http @ 0x1] http://user:secret@provider.example/live/1.ts Server returned 404"
                        + " Not Found, from rtmp://a.example/x?token=t  ' >&2; printf '\\n   \\n' >&2"));
    }

    @Test
    void aLongLineIsCutAt300Characters() throws Exception {
        String line = lastLineOf("printf 'x%.0s' $(seq 1 1000) >&2");
        assertEquals("x".repeat(300), line);
    }

    @Test
    void nothingOnStandardErrorLeavesItEmpty() throws Exception {
        assertEquals("", lastLineOf("echo only stdout"));
    }
}
