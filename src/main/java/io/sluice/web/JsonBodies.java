package io.sluice.web;

import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.InputStream;
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
}
