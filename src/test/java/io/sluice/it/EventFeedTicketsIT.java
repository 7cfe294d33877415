package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.Api;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Issue 13.7: the console's event feed opens with a single-use ticket, so the token never sits in a URL. */
class EventFeedTicketsIT extends SluiceIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(Map.of());
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Opens the feed; for a 200, reads its first line and hangs up. */
    private String open(String query) throws Exception {
        HttpResponse<InputStream> r = http.send(api.request("/sse/events" + query).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                return r.statusCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return "200 " + new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        }
    }

    @Test
    void aTicketOpensTheFeedOnceAndOnlyWithTheToken() throws Exception {
        assertEquals(401, api.send(api.request("/events/tickets").POST(HttpRequest.BodyPublishers.noBody())
                .build()).status(), "a ticket needs the token");
        Api.Reply issued = api.post("/events/tickets", "");
        assertEquals(200, issued.status(), issued.body());
        String ticket = issued.json().getString("ticket");
        assertTrue(ticket.length() >= 32);

        assertEquals("200 : connected", open("?ticket=" + ticket));
        String again = open("?ticket=" + ticket);
        assertTrue(again.startsWith("403 ") && again.contains("detail"), "a spent ticket: " + again);
        assertTrue(open("?ticket=0123456789abcdef0123456789abcdef0123456789abcdef").startsWith("403 "));
        assertTrue(open("").startsWith("401 "), "no ticket and no token");
    }

    @Test
    void theConsolePageKeepsTheTokenOutOfUrls() {
        Api.Reply page = api.send(api.request("/console").GET().build());
        assertEquals(200, page.status());
        assertFalse(page.body().contains("api_token"), "the console builds a URL with the token");
        assertTrue(page.body().contains("/events/tickets"), "the console asks for a feed ticket");
    }
}
