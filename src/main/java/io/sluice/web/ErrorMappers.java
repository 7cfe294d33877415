package io.sluice.web;

import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Maps every failure to {@code {"detail"}} with the right status; never a stack trace in a body. */
public final class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class.getName());

    private ErrorMappers() {
    }

    @Provider
    public static class Api implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return Problems.of(e.status(), e.getMessage());
        }
    }

    @Provider
    public static class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ApiException api) {
                return Problems.of(api.status(), api.getMessage());
            }
            if (isJsonProblem(cause)) {
                return Problems.of(400, "Request body is not valid JSON");
            }
            int status = e.getResponse().getStatus();
            return Problems.of(status, reason(status));
        }

        private static String reason(int status) {
            return switch (status) {
                case 404 -> "Not Found";
                case 405 -> "Method Not Allowed";
                case 406 -> "Not Acceptable";
                case 415 -> "Unsupported Media Type: send application/json";
                default -> {
                    Response.Status t = Response.Status.fromStatusCode(status);
                    yield t == null ? "HTTP " + status : t.getReasonPhrase();
                }
            };
        }
    }

    /** JSON that cannot be read can surface from the JSON provider in several wrappers. */
    @Provider
    public static class Processing implements ExceptionMapper<ProcessingException> {
        @Override
        public Response toResponse(ProcessingException e) {
            Throwable c = e;
            while (c != null) {
                if (c instanceof ApiException api) {
                    return Problems.of(api.status(), api.getMessage());
                }
                c = c.getCause();
            }
            return Problems.of(400, "Request body is not valid JSON");
        }
    }

    @Provider
    public static class Json implements ExceptionMapper<JsonException> {
        @Override
        public Response toResponse(JsonException e) {
            return Problems.of(400, "Request body is not valid JSON");
        }
    }

    @Provider
    public static class Binding implements ExceptionMapper<JsonbException> {
        @Override
        public Response toResponse(JsonbException e) {
            return Problems.of(400, "Request body is not valid JSON");
        }
    }

    /** The store did not keep the change, so nothing changed: the caller may try again. */
    @Provider
    public static class StoreDown implements ExceptionMapper<io.sluice.store.StoreUnavailableException> {
        @Override
        public Response toResponse(io.sluice.store.StoreUnavailableException e) {
            return Problems.of(503, "Store unavailable: nothing was changed; try again");
        }
    }

    @Provider
    public static class Unexpected implements ExceptionMapper<RuntimeException> {
        @Override
        public Response toResponse(RuntimeException e) {
            LOG.log(Level.SEVERE, "Unexpected failure while serving a request", e);
            return Problems.of(500, "Internal error");
        }
    }

    static boolean isJsonProblem(Throwable t) {
        while (t != null) {
            if (t instanceof JsonException || t instanceof JsonbException) {
                return true;
            }
            t = t.getCause();
        }
        return false;
    }
}
