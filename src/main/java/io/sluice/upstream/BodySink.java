package io.sluice.upstream;

import java.nio.ByteBuffer;

/**
 * Where an upstream body goes. The sink sets the pace: the upstream is read only while
 * {@link #capacity()} is positive, and the sink calls {@link FlowControlledConsumer#resume()} when it has room again.
 */
public interface BodySink {

    /** Checks the response head; throw to refuse it (the exchange is aborted and {@link #onFailure} follows). */
    void onResponse(UpstreamResponse response) throws UpstreamFailureException;

    /** Takes all remaining bytes of {@code data}; may be called with a little more than was granted. */
    void onData(ByteBuffer data) throws UpstreamFailureException;

    /** Bytes the sink can take now. */
    long capacity();

    void onEnd();

    void onFailure(UpstreamFailure failure);
}
