package io.sluice.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds {@code {"detail"}} responses. */
public final class Problems {
    private Problems() {
    }

    public static Response of(int status, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new Problem(detail)).build();
    }
}
