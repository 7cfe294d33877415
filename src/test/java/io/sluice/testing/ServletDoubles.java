package io.sluice.testing;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stand-ins for the container's side of an asynchronous response, for unit tests of the delivery classes'
 * threading: an output whose write can be held mid-call, and an async context that notes whether it was
 * completed while such a write was still running (which a real container answers by writing into a response
 * it may already have recycled).
 */
public final class ServletDoubles {
    private ServletDoubles() {
    }

    /** An always-ready output; after {@link #holdNextWrite()}, the next write waits until {@link #release()}. */
    public static final class HeldOutput extends ServletOutputStream {
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile boolean hold;
        public final AtomicBoolean inWrite = new AtomicBoolean();
        public final CountDownLatch writing = new CountDownLatch(1);
        public volatile long written;

        public void holdNextWrite() {
            hold = true;
        }

        public void release() {
            released.countDown();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener writeListener) {
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            inWrite.set(true);
            try {
                if (hold) {
                    hold = false;
                    writing.countDown();
                    try {
                        if (!released.await(30, TimeUnit.SECONDS)) {
                            throw new IOException("never released");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }
                written += len;
            } finally {
                inWrite.set(false);
            }
        }
    }

    /** What the async context saw. */
    public static final class Completion {
        public final AtomicBoolean completed = new AtomicBoolean();
        public final AtomicBoolean completedDuringWrite = new AtomicBoolean();
    }

    /** An async context whose {@code complete()} is recorded against {@code out}'s writes. */
    public static AsyncContext asyncContext(HeldOutput out, Completion seen) {
        return (AsyncContext) Proxy.newProxyInstance(ServletDoubles.class.getClassLoader(),
                new Class<?>[]{AsyncContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("complete")) {
                        if (out.inWrite.get()) {
                            seen.completedDuringWrite.set(true);
                        }
                        seen.completed.set(true);
                    }
                    return defaultValue(method.getReturnType());
                });
    }

    /** A response that takes every header and status and reports nothing. */
    public static HttpServletResponse response() {
        return (HttpServletResponse) Proxy.newProxyInstance(ServletDoubles.class.getClassLoader(),
                new Class<?>[]{HttpServletResponse.class}, (proxy, method, args) -> defaultValue(method.getReturnType()));
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }
}
