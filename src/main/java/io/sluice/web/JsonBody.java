package io.sluice.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The shape of a JSON request body that a resource reads by hand (to name each wrong field in its 422).
 * {@code /openapi.json} describes the body from this record; tests hold the parser to every component.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface JsonBody {
    Class<? extends Record> value();
}
