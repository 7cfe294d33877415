package io.sluice.web;

/** The one error body of the API, as m3u-proxy: {@code {"detail": "..."}}. */
public record Problem(String detail) {
}
