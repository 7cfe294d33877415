package io.sluice.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Registers streams on the Sluice a bench runs against, with the API token of the environment when it has one. */
final class StreamsApi {
    private static final Pattern STREAM_ID = Pattern.compile("\"stream_id\":\"([0-9a-f]{32})\"");

    private StreamsApi() {
    }

    /** {@code POST /streams} with {@code json}; the new stream's id. */
    static String register(HttpClient http, String sluice, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sluice + "/streams"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        String token = System.getenv("API_TOKEN");
        if (token != null && !token.isEmpty()) {
            b.header("X-API-Token", token);
        }
        String body = http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = STREAM_ID.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("registration failed: " + body);
        }
        return m.group(1);
    }
}
