package io.sluice.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client of Sluice's management API for tests. */
public final class Api {
    public static final String TOKEN = "it-token-5f1c";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** {@code base} is the application root, ending without a slash. */
    public Api(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public String base() {
        return base;
    }

    public record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        public JsonObject json() {
            JsonValue v = Json.createReader(new StringReader(body)).readValue();
            return v.asJsonObject();
        }

        public String detail() {
            return json().getString("detail");
        }
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    }

    public HttpRequest.Builder authed(String path) {
        return request(path).header("X-API-Token", TOKEN);
    }

    public Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Reply get(String path) {
        return send(authed(path).GET().build());
    }

    public Reply delete(String path) {
        return send(authed(path).DELETE().build());
    }

    public Reply post(String path, String json) {
        return send(authed(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Registers {@code url} with optional extra JSON fields, and returns the stream id. */
    public String register(String url, String extraFields) {
        String body = "{\"url\":\"" + url + "\"" + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
        Reply r = post("/streams", body);
        if (r.status() != 200) {
            throw new AssertionError("register failed: " + r.status() + " " + r.body());
        }
        return r.json().getString("stream_id");
    }

    public String register(String url) {
        return register(url, "");
    }

    public int clientCount(String streamId) {
        Reply r = get("/streams/" + streamId);
        return r.status() == 200 ? r.json().getInt("client_count") : -1;
    }
}
