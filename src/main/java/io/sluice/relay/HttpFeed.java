package io.sluice.relay;

import io.sluice.upstream.Feed;
import io.sluice.upstream.FlowControlledConsumer;
import java.util.concurrent.Future;

/** An upstream HTTP exchange as a relay's feed. */
final class HttpFeed implements Feed {
    final FlowControlledConsumer consumer;
    private volatile Future<Void> exchange;

    HttpFeed(FlowControlledConsumer consumer) {
        this.consumer = consumer;
    }

    void started(Future<Void> exchange) {
        this.exchange = exchange;
    }

    @Override
    public boolean isPaused() {
        return consumer.isPaused();
    }

    @Override
    public void resume() {
        consumer.resume();
    }

    @Override
    public void stop() {
        consumer.abandon();
        Future<Void> f = exchange;
        if (f != null) {
            f.cancel(true);
        }
    }
}
