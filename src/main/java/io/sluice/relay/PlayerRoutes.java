package io.sluice.relay;

import io.sluice.config.Settings;
import io.sluice.hls.HlsServlet;
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
        addMapping(sce, StreamServlet.NAME, settings.rootPath() + "/stream/*");
        addMapping(sce, HlsServlet.NAME, settings.rootPath() + "/hls/*");
    }

    private static void addMapping(ServletContextEvent sce, String servlet, String pattern) {
        ServletRegistration r = sce.getServletContext().getServletRegistration(servlet);
        if (r != null) {
            r.addMapping(pattern);
        }
    }
}
