package io.sluice.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Headless Debian Chromium driven through chromedriver's W3C WebDriver protocol (a handful of REST calls, so
 * no browser library is needed). Loopback only; started and stopped by the test.
 */
public final class Browser implements AutoCloseable {
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private final Process driver;
    private final String session;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path profile;

    private Browser(Process driver, String base, Path profile) throws Exception {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
        JsonObject caps = Json.createObjectBuilder().add("capabilities", Json.createObjectBuilder()
                .add("alwaysMatch", Json.createObjectBuilder()
                        .add("browserName", "chrome")
                        .add("goog:chromeOptions", Json.createObjectBuilder()
                                .add("binary", "/usr/bin/chromium")
                                .add("args", Json.createArrayBuilder(List.of("--headless", "--no-sandbox",
                                        "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                                        "--disable-background-networking", "--disable-component-update",
                                        "--disable-sync", "--disable-quic", "--window-size=1400,900",
                                        "--user-data-dir=" + profile)))))).build();
        session = call("POST", "/session", caps).getJsonObject("value").getString("sessionId");
    }

    public static Browser start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path profile = Files.createTempDirectory("sluice-chromium");
        Process p = new ProcessBuilder("chromedriver", "--port=" + port).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String base = "http://127.0.0.1:" + port;
        HttpClient probe = HttpClient.newHttpClient();
        Await.until("chromedriver listens", Duration.ofSeconds(15), () -> {
            try {
                return probe.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        return new Browser(p, base, profile);
    }

    private JsonObject call(String method, String path, JsonObject body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonObject json = Json.createReader(new StringReader(r.body())).readObject();
        if (r.statusCode() >= 400) {
            throw new WebDriverError("WebDriver " + method + " " + path + ": " + r.body());
        }
        return json;
    }

    /** A command the driver refused; a stale element (the page re-rendered) is worth another try. */
    static final class WebDriverError extends RuntimeException {
        WebDriverError(String message) {
            super(message);
        }

        boolean stale() {
            return getMessage().contains("stale element reference");
        }
    }

    private String sessionPath(String rest) {
        return "/session/" + session + rest;
    }

    public void open(String url) throws Exception {
        call("POST", sessionPath("/url"), Json.createObjectBuilder().add("url", url).build());
    }

    /** The first element matching {@code css}, or null. */
    public String find(String css) throws Exception {
        JsonObject r = call("POST", sessionPath("/elements"), Json.createObjectBuilder()
                .add("using", "css selector").add("value", css).build());
        var list = r.getJsonArray("value");
        return list.isEmpty() ? null : list.getJsonObject(0).getString(ELEMENT);
    }

    public void type(String css, String text) throws Exception {
        call("POST", sessionPath("/element/" + find(css) + "/value"),
                Json.createObjectBuilder().add("text", text).build());
    }

    /** Clicks the first match; the console re-renders its table, so a stale element is looked up again. */
    public void click(String css) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                call("POST", sessionPath("/element/" + find(css) + "/click"), Json.createObjectBuilder().build());
                return;
            } catch (WebDriverError e) {
                if (!e.stale() || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** The visible text of the first element matching {@code css}, or "" when there is none. */
    public String text(String css) {
        try {
            String id = find(css);
            if (id == null) {
                return "";
            }
            JsonValue v = call("GET", sessionPath("/element/" + id + "/text"), null).get("value");
            return v.getValueType() == JsonValue.ValueType.STRING ? ((jakarta.json.JsonString) v).getString() : "";
        } catch (Exception e) {
            return "";
        }
    }

    public void screenshot(Path file) throws Exception {
        String png = call("GET", sessionPath("/screenshot"), null).getString("value");
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(png));
    }

    @Override
    public void close() {
        try {
            call("DELETE", sessionPath(""), null);
        } catch (Exception ignored) {
            // the driver goes anyway
        }
        driver.destroy();
        try {
            if (!driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
