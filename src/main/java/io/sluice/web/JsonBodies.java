package io.sluice.web;

import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Reads a management request body as JSON, strictly: one value and nothing after it, nested at most
 * {@link #MAX_DEPTH} deep, numbers of at most {@link #MAX_NUMBER_CHARS} characters. Anything else is a 400
 * with a {@code detail}, never a parser's exception reaching the error log. An oversized body stays a 413
 * ({@link BodyLimitFilter} bounds what is read here).
 */
public final class JsonBodies {
    /** Far deeper than any registration needs; deep nesting only costs stack and time. */
    static final int MAX_DEPTH = 32;
    /**
     * A number longer than this is no setting anyone means; and a huge exponent ({@code 1e999999999}) turned
     * into an integer would allocate without bound.
     */
    static final int MAX_NUMBER_CHARS = 40;

    private JsonBodies() {
    }

    public static JsonValue read(InputStream body) {
        byte[] bytes;
        try {
            bytes = body.readAllBytes();
        } catch (IOException e) {
            // The caller went away or broke off its body: nothing to answer usefully, but no internal error.
            throw new ApiException(400, "Request body could not be read");
        }
        check(bytes);
        try (JsonReader reader = JsonText.JSON.createReader(new ByteArrayInputStream(bytes))) {
            return reader.readValue();
        } catch (RuntimeException e) {
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
        } catch (IOException e) {
            throw new ApiException(400, "Request body could not be read");
        }
        return read(in);
    }

    /** One streaming pass over the text: its shape, before any value is built from it. */
    static void check(byte[] bytes) {
        int depth = 0;
        boolean seenValue = false;
        try (JsonParser parser = JsonText.JSON.createParser(new ByteArrayInputStream(bytes))) {
            while (parser.hasNext()) {
                if (seenValue && depth == 0) {
                    throw new ApiException(400, "Request body is not valid JSON: text after the JSON value");
                }
                JsonParser.Event e = parser.next();
                switch (e) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > MAX_DEPTH) {
                            throw new ApiException(400, "Request body is not valid JSON: nested deeper than "
                                    + MAX_DEPTH + " levels");
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_NUMBER -> {
                        if (parser.getString().length() > MAX_NUMBER_CHARS) {
                            throw new ApiException(422, "A number in the request body is out of range");
                        }
                    }
                    default -> {
                    }
                }
                seenValue = true;
            }
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            // Whatever the parser throws (its JsonParsingException, or its own limits' exceptions) is about
            // the text the caller sent, and so a bad request. A body cut off by the size limit is a 413.
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw new ApiException(400, "Request body is not valid JSON");
        }
        if (!seenValue) {
            throw new ApiException(400, "Request body is not valid JSON: it is empty");
        }
    }
}
