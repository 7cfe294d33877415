package io.sluice.relay;

import io.sluice.config.Settings;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;

/** Player routes also answer under {@code ROOT_PATH}, which is only known at start-up. */
@WebListener
public class PlayerRoutes implements ServletContextListener {
    @Inject
    Settings settings;

    @Override
    public void contextInitialized(ServletContextEvent sce) {
        ServletRegistration stream = sce.getServletContext().getServletRegistration(StreamServlet.NAME);
        if (stream != null) {
            stream.addMapping(settings.rootPath() + "/stream/*");
        }
    }
}
