package io.sluice.support;

import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Two things a player connection needs that the Servlet API cannot say, done on Tomcat through its own classes
 * (reflection: the WAR does not compile against a container). Elsewhere both are no-ops and say so.
 *
 * <ul>
 * <li>{@link #closeNow}: end a committed response as broken. The API can only complete a response, which ends a
 * chunked body with its final chunk, so a body that broke upstream would look complete to the player.</li>
 * <li>{@link #allowPausedWrites}: Tomcat gives a pending non-blocking write only the connector's
 * {@code connectionTimeout} (20 s stock) to make progress, then drops the connection: a player paused longer
 * would be cut. The wait is raised for this connection to the bound Sluice sets for a pause.</li>
 * <li>{@link #widenWrites}: Tomcat sends a response through its 8 KiB response buffer and a per-connection
 * socket buffer of 8 KiB ({@code socket.appWriteBufSize}), one system call per 8 KiB; a live player's round is
 * twice that. Both buffers of a player that reads are replaced by larger ones while they are empty (the
 * Servlet API can only size the response buffer before the first byte, for every player alike).</li>
 * </ul>
 */
public final class ContainerConnection {
    private static final Logger LOG = Logger.getLogger(ContainerConnection.class.getName());
    private static volatile boolean warned;

    private ContainerConnection() {
    }

    /** Closes the connection without ending the body; true when done (the caller still completes the async context). */
    public static boolean closeNow(HttpServletResponse response) {
        try {
            Object coyote = coyoteResponse(response);
            if (coyote == null) {
                return false;
            }
            Class<?> codes = Class.forName("org.apache.coyote.ActionCode", false, coyote.getClass().getClassLoader());
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object closeNow = Enum.valueOf((Class<? extends Enum>) codes.asSubclass(Enum.class), "CLOSE_NOW");
            coyote.getClass().getMethod("action", codes, Object.class).invoke(coyote, closeNow, null);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            warnOnce(e);
            return false;
        }
    }

    /** Lets writes to this player wait up to {@code pause} for it to read again; true when the container took it. */
    public static boolean allowPausedWrites(HttpServletResponse response, Duration pause) {
        try {
            Object coyote = coyoteResponse(response);
            if (coyote == null) {
                return false;
            }
            Object processor = field(coyote.getClass(), "hook").get(coyote);
            if (processor == null) {
                return false;
            }
            Method socketWrapper = method(processor.getClass(), "getSocketWrapper");
            Object wrapper = socketWrapper.invoke(processor);
            if (wrapper == null) {
                return false;
            }
            long millis = pause.toMillis();
            Method getter = wrapper.getClass().getMethod("getWriteTimeout");
            if ((long) getter.invoke(wrapper) >= millis) {
                return true; // the container already waits at least this long
            }
            wrapper.getClass().getMethod("setWriteTimeout", long.class).invoke(wrapper, millis);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            warnOnce(e);
            return false;
        }
    }

    /**
     * Makes this response's buffer and its connection's socket write buffer at least {@code bytes} large, while
     * both are empty; from the one thread that writes. Returns the largest of the two sizes that both now have,
     * 0 when a buffer holds data (try again after the next write has gone out), or -1 on another container
     * (writes stay as large as the response buffer; the container may send them in more system calls).
     */
    public static int widenWrites(HttpServletResponse response, int bytes) {
        try {
            if (!response.getClass().getName().equals("org.apache.catalina.connector.ResponseFacade")) {
                return -1;
            }
            Object connectorResponse = field(response.getClass(), "response").get(response);
            Object outputBuffer = field(connectorResponse.getClass(), "outputBuffer").get(connectorResponse);
            ByteBuffer responseBuffer = (ByteBuffer) field(outputBuffer.getClass(), "bb").get(outputBuffer);
            Object coyote = connectorResponse.getClass().getMethod("getCoyoteResponse").invoke(connectorResponse);
            Object processor = field(coyote.getClass(), "hook").get(coyote);
            Object wrapper = method(processor.getClass(), "getSocketWrapper").invoke(processor);
            Object buffers = wrapper == null ? null : wrapper.getClass().getMethod("getSocketBufferHandler").invoke(wrapper);
            if (buffers == null) {
                return -1;
            }
            ByteBuffer socketBuffer = (ByteBuffer) buffers.getClass().getMethod("getWriteBuffer").invoke(buffers);
            boolean socketEmpty = (boolean) buffers.getClass().getMethod("isWriteBufferEmpty").invoke(buffers);
            if (responseBuffer.remaining() > 0 || !socketEmpty) {
                return 0; // Tomcat keeps its response buffer readable: what remains is unsent data
            }
            if (responseBuffer.capacity() < bytes) {
                // OutputBuffer's own method: a new empty buffer, which is why both must be empty
                outputBuffer.getClass().getMethod("setBufferSize", int.class).invoke(outputBuffer, bytes);
            }
            if (socketBuffer.capacity() < bytes) {
                ByteBuffer wider = socketBuffer.isDirect() ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
                field(buffers.getClass(), "writeBufferConfiguredForWrite").setBoolean(buffers, true);
                field(buffers.getClass(), "writeBuffer").set(buffers, wider);
            }
            return bytes;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            warnOnce(e);
            return -1;
        }
    }

    /** Tomcat's own response behind the facade the servlet got, or null on another container. */
    private static Object coyoteResponse(HttpServletResponse response) throws ReflectiveOperationException {
        if (!response.getClass().getName().equals("org.apache.catalina.connector.ResponseFacade")) {
            return null;
        }
        Object connectorResponse = field(response.getClass(), "response").get(response);
        return connectorResponse == null ? null : connectorResponse.getClass().getMethod("getCoyoteResponse")
                .invoke(connectorResponse);
    }

    private static Field field(Class<?> c, String name) throws NoSuchFieldException {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            try {
                Field f = k.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // further up
            }
        }
        throw new NoSuchFieldException(c.getName() + "." + name);
    }

    private static Method method(Class<?> c, String name) throws NoSuchMethodException {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            try {
                Method m = k.getDeclaredMethod(name);
                m.setAccessible(true);
                return m;
            } catch (NoSuchMethodException e) {
                // further up
            }
        }
        throw new NoSuchMethodException(c.getName() + "." + name);
    }

    private static void warnOnce(Throwable e) {
        if (!warned) {
            warned = true;
            LOG.log(Level.WARNING, "This container does not expose what Sluice uses on Tomcat to keep paused players,"
                    + " mark broken bodies and write in fewer system calls; falling back to the Servlet API alone", e);
        }
    }
}
