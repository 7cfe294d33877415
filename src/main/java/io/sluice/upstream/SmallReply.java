package io.sluice.upstream;

import java.nio.charset.StandardCharsets;

/**
 * The answer to a small management-side request (a webhook delivery, a resolver call): the status and at most
 * {@link SmallReplyConsumer#LIMIT} bytes of body. {@code truncated} says the peer sent more, which was not read.
 */
public record SmallReply(int status, byte[] body, boolean truncated) {
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
