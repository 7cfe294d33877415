package io.sluice.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the Tomcat the ITs use (embedded, on loopback, a free port): what the reflection reaches is real. */
class ContainerConnectionTest {
    private static final int WIDE = 16 * 1024;
    private Tomcat tomcat;
    private int port;
    private volatile int widenedTo;
    private volatile int whileBuffered = -2;

    @BeforeEach
    void start() throws Exception {
        tomcat = new Tomcat();
        File base = Files.createTempDirectory("sluice-cc").toFile();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector c = new Connector("HTTP/1.1");
        c.setPort(0);
        c.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(c);
        tomcat.setConnector(c);
        Context ctx = tomcat.addContext("", base.getAbsolutePath());
        Tomcat.addServlet(ctx, "widened", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                widenedTo = ContainerConnection.widenWrites(resp, WIDE);
                widenedTo = Math.min(widenedTo, ContainerConnection.widenWrites(resp, WIDE)); // twice is harmless
                resp.setContentType("application/octet-stream");
                byte[] body = body();
                resp.getOutputStream().write(body, 0, 100);
                whileBuffered = ContainerConnection.widenWrites(resp, 2 * WIDE);
                resp.getOutputStream().write(body, 100, body.length - 100);
            }
        });
        ctx.addServletMappingDecoded("/widened", "widened");
        tomcat.start();
        port = c.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    private static byte[] body() {
        byte[] b = new byte[100_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + i / 251);
        }
        return b;
    }

    @Test
    void aTomcatConnectionsBuffersAreWidenedOnlyWhileEmptyAndStillCarryTheBodyWhole() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < 3; i++) { // connections come back from Tomcat's cache with the wider buffer
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/widened")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertArrayEquals(body(), r.body());
            assertEquals(WIDE, widenedTo);
            assertEquals(0, whileBuffered, "not while the response buffer holds unsent bytes");
        }
    }
}
