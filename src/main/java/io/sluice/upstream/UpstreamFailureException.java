package io.sluice.upstream;

import java.io.IOException;

/** Carries a classified failure through HttpClient's exception channel, which aborts the exchange. */
public class UpstreamFailureException extends IOException {
    private final UpstreamFailure failure;

    public UpstreamFailureException(UpstreamFailure failure) {
        super(failure.message(), null);
        this.failure = failure;
    }

    public UpstreamFailure failure() {
        return failure;
    }
}
