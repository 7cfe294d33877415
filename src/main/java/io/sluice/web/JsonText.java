package io.sluice.web;

import jakarta.json.spi.JsonProvider;

/**
 * The JSON-P provider, looked up once. {@code Json.createObjectBuilder()} searches for a provider on every
 * call, through the calling thread's context class loader, which on a shared JDK thread may be a loader of an
 * application already undeployed.
 */
public final class JsonText {
    public static final JsonProvider JSON = JsonProvider.provider();

    private JsonText() {
    }
}
