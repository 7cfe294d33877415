package io.sluice.vod;

import io.sluice.config.Settings;
import io.sluice.upstream.UpstreamClient;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/** Starts the real upstream client outside CDI, as its own tests do from inside its package. */
final class UpstreamClientAccess {
    private UpstreamClientAccess() {
    }

    static UpstreamClient started(Settings settings) {
        try {
            UpstreamClient c = new UpstreamClient();
            Field f = UpstreamClient.class.getDeclaredField("settings");
            f.setAccessible(true);
            f.set(c, settings);
            Method start = UpstreamClient.class.getDeclaredMethod("start");
            start.setAccessible(true);
            start.invoke(c);
            return c;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static void stop(UpstreamClient c) {
        try {
            Method stop = UpstreamClient.class.getDeclaredMethod("stop");
            stop.setAccessible(true);
            stop.invoke(c);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
