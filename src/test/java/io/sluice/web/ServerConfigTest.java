package io.sluice.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Issue 13.7 and 13.9: the Tomcat configuration we ship logs no query strings and names no server version. */
class ServerConfigTest {
    private static Map<String, Element> valves() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var doc = f.newDocumentBuilder().parse(new File("server-config/tomcat/server.xml"));
        NodeList list = doc.getElementsByTagName("Valve");
        Map<String, Element> byClass = new HashMap<>();
        for (int i = 0; i < list.getLength(); i++) {
            Element e = (Element) list.item(i);
            byClass.put(e.getAttribute("className").replaceAll(".*\\.", ""), e);
        }
        return byClass;
    }

    @Test
    void theAccessLogLeavesQueryStringsOut() throws Exception {
        Element log = valves().get("AccessLogValve");
        assertNotNull(log, "server.xml configures an access log");
        String pattern = log.getAttribute("pattern");
        // %r is the whole request line and %q the query; "common"/"combined" both use %r.
        for (String leaky : new String[]{"%r", "%q", "common", "combined", "%{"}) {
            assertFalse(pattern.contains(leaky), pattern + " contains " + leaky);
        }
        assertTrue(pattern.contains("%U"), "the path is still logged: " + pattern);
    }

    @Test
    void tomcatsOwnErrorPagesNameNoServerOrVersion() throws Exception {
        Element report = valves().get("ErrorReportValve");
        assertNotNull(report, "server.xml configures the error report valve");
        assertEquals("false", report.getAttribute("showServerInfo"));
        assertEquals("false", report.getAttribute("showReport"));
    }
}
