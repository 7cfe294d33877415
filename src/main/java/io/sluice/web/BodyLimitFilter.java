package io.sluice.web;

import io.sluice.config.Settings;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Bounds request bodies: a declared length over the limit is refused at once, a chunked one when it crosses it. */
@Provider
@Priority(Priorities.AUTHENTICATION + 10)
public class BodyLimitFilter implements ContainerRequestFilter {
    @Inject
    Settings settings;

    @Override
    public void filter(ContainerRequestContext ctx) {
        int limit = settings.maxRequestBodyBytes();
        if (ctx.getLength() > limit) {
            ctx.abortWith(Problems.of(413, tooLarge(limit)));
            return;
        }
        ctx.setEntityStream(new Bounded(ctx.getEntityStream(), limit));
    }

    static String tooLarge(int limit) {
        return "Request body too large: at most " + limit + " bytes";
    }

    private static final class Bounded extends FilterInputStream {
        private final int limit;
        private long read;

        Bounded(InputStream in, int limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > limit) {
                throw new ApiException(413, tooLarge(limit));
            }
        }
    }
}
