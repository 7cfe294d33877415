package io.sluice.web;

/** A request that cannot be served, with the status and the human message the caller will see. */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badInput(String detail) {
        return new ApiException(422, detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, detail);
    }
}
