package io.sluice.testing;

import java.lang.reflect.Field;
import org.jboss.arquillian.container.spi.event.container.AfterStart;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * The embedded Tomcat adapter (1.2.0, the newest that resolves here) binds every address; tests must only ever
 * listen on loopback. After the container starts, its connector is swapped for one bound to 127.0.0.1.
 * All reflection, so this loads harmlessly when the Payara adapter is in use.
 */
public class LoopbackTomcat implements LoadableExtension {
    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(Rebinder.class);
    }

    /** The test container's connection timeout, which bounds a pending write unless Sluice raises it. */
    public static final int CONNECTION_TIMEOUT_MILLIS = 4000;

    public static class Rebinder {
        public void rebind(@Observes AfterStart event) throws Exception {
            Object container = event.getDeployableContainer();
            Field f = findField(container.getClass(), "tomcat");
            if (f == null) {
                return; // not the Tomcat adapter
            }
            f.setAccessible(true);
            Object tomcat = f.get(container);
            Class<?> connectorClass = Class.forName("org.apache.catalina.connector.Connector");
            Object service = tomcat.getClass().getMethod("getService").invoke(tomcat);
            Object old = tomcat.getClass().getMethod("getConnector").invoke(tomcat);
            int port = (int) connectorClass.getMethod("getPort").invoke(old);
            service.getClass().getMethod("removeConnector", connectorClass).invoke(service, old);
            connectorClass.getMethod("destroy").invoke(old); // remove only stops; destroy frees the port
            Object lo = connectorClass.getConstructor(String.class).newInstance("HTTP/1.1");
            connectorClass.getMethod("setPort", int.class).invoke(lo, port);
            connectorClass.getMethod("setProperty", String.class, String.class).invoke(lo, "address", "127.0.0.1");
            // Tomcat gives a pending write only connectionTimeout (20 s stock) before it drops the connection;
            // a short one lets tests of paused players outlast it quickly. Idle keep-alive stays at the stock 20 s.
            connectorClass.getMethod("setProperty", String.class, String.class).invoke(lo, "connectionTimeout",
                    String.valueOf(CONNECTION_TIMEOUT_MILLIS));
            connectorClass.getMethod("setProperty", String.class, String.class).invoke(lo, "keepAliveTimeout", "20000");
            service.getClass().getMethod("addConnector", connectorClass).invoke(service, lo);
            tomcat.getClass().getMethod("setConnector", connectorClass).invoke(tomcat, lo);
        }

        private static Field findField(Class<?> c, String name) {
            for (; c != null; c = c.getSuperclass()) {
                try {
                    return c.getDeclaredField(name);
                } catch (NoSuchFieldException e) {
                    // look further up
                }
            }
            return null;
        }
    }
}
