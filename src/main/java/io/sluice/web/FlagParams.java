package io.sluice.web;

import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Locale;

/**
 * Reads boolean query parameters ({@code active_only}, {@code force}) as m3u-proxy's FastAPI does: true, 1, yes,
 * on and their opposites, any case. JAX-RS's own reading is {@code Boolean.valueOf}, which takes the editor's
 * {@code active_only=1} (PHP's way of writing true) and {@code active_only=maybe} alike for false; anything
 * else is a 422 naming the value.
 */
@Provider
public class FlagParams implements ParamConverterProvider {
    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        if (rawType != boolean.class && rawType != Boolean.class) {
            return null;
        }
        return (ParamConverter<T>) new ParamConverter<Boolean>() {
            @Override
            public Boolean fromString(String value) {
                return parse(value);
            }

            @Override
            public String toString(Boolean value) {
                return String.valueOf(value);
            }
        };
    }

    static Boolean parse(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on", "t", "y" -> Boolean.TRUE;
            case "false", "0", "no", "off", "f", "n" -> Boolean.FALSE;
            default -> throw ApiException.badInput("Input should be a valid boolean, unable to interpret "
                    + (value.length() > 40 ? "the value given" : "'" + value + "'"));
        };
    }
}
