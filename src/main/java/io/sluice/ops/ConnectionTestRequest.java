package io.sluice.ops;

/** The body of {@code POST /test-connection}. */
public record ConnectionTestRequest(String url) {
}
