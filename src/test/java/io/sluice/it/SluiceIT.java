package io.sluice.it;

import io.sluice.testing.Api;
import io.sluice.testing.TestUpstream;
import java.io.File;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deploys the WAR that {@code mvn package} built, exactly what ships, and talks to it over HTTP as players and
 * editors do. Each test gets a fresh loopback upstream.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class SluiceIT {
    @ArquillianResource
    URL base;

    TestUpstream upstream;
    Api api;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String war = System.getProperty("it.war", "target/sluice.war");
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(war));
    }

    @BeforeEach
    void setUpSluice() {
        upstream = TestUpstream.start();
        // Payara Micro reports the machine's interface address; both containers listen on loopback only.
        api = new Api(base.getProtocol() + "://127.0.0.1:" + base.getPort() + base.getPath());
    }

    @AfterEach
    void tearDownSluice() {
        // Streams are per test: stop whatever this test registered so players and upstreams end.
        var list = api.get("/streams");
        if (list.status() == 200) {
            list.json().getJsonArray("streams").forEach(s ->
                    api.delete("/streams/" + s.asJsonObject().getString("stream_id")));
        }
        upstream.close();
    }

    String playerUrl(String streamId) {
        return api.base() + "/stream/" + streamId;
    }
}
