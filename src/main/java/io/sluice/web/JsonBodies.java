package io.sluice.web;

import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.NoSuchElementException;

/** Reads a management request body as JSON: unreadable JSON is a 400, an oversized body stays a 413. */
public final class JsonBodies {
    private JsonBodies() {
    }

    public static JsonValue read(InputStream body) {
        try (JsonReader reader = JsonText.JSON.createReader(body)) {
            return reader.readValue();
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw new ApiException(400, "Request body is not valid JSON");
        }
    }

    /** Like {@link #read}, but an empty body (DELETE usually has none) is null rather than a 400. */
    public static JsonValue readOptional(InputStream body) {
        PushbackInputStream in = new PushbackInputStream(body, 1);
        try {
            int c;
            do {
                c = in.read();
            } while (c == ' ' || c == '\t' || c == '\r' || c == '\n');
            if (c == -1) {
                return null;
            }
            in.unread(c);
        } catch (java.io.IOException e) {
            throw new ApiException(400, "Request body could not be read");
        }
        return read(in);
    }
}
