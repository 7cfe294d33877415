package io.sluice.ops;

import static io.sluice.web.JsonText.JSON;

import io.sluice.web.JsonBody;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.glassfish.jersey.server.ExtendedResourceContext;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * {@code GET /openapi.json}: OpenAPI 3 generated from the deployed application itself: Jersey's model of the
 * resources gives paths, methods and parameters; the records the resources return (and the {@link JsonBody}
 * records of hand-parsed bodies) give the schemas, with the JSON names clients see (snake_case).
 */
@Path("openapi.json")
public class OpenApiResource {
    @Context
    ExtendedResourceContext resources;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String document() {
        Map<String, JsonObjectBuilder> schemas = new TreeMap<>();
        schemas.put("Problem", JSON.createObjectBuilder().add("type", "object").add("properties",
                JSON.createObjectBuilder().add("detail", JSON.createObjectBuilder().add("type", "string"))));
        Map<String, Map<String, JsonObject>> paths = new TreeMap<>();
        for (Resource root : resources.getResourceModel().getRootResources()) {
            collect(root, "", paths, schemas);
        }
        JsonObjectBuilder pathsJson = JSON.createObjectBuilder();
        paths.forEach((path, ops) -> {
            JsonObjectBuilder item = JSON.createObjectBuilder();
            ops.forEach(item::add);
            pathsJson.add(path, item);
        });
        JsonObjectBuilder schemasJson = JSON.createObjectBuilder();
        schemas.forEach(schemasJson::add);
        return JSON.createObjectBuilder()
                .add("openapi", "3.0.3")
                .add("info", JSON.createObjectBuilder().add("title", "Sluice management API")
                        .add("version", ProxyStats.VERSION)
                        .add("description", "m3u-proxy compatible management API of Sluice. Management routes "
                                + "need the API token (X-API-Token, Authorization: Bearer, or api_token) when one "
                                + "is configured."))
                .add("components", JSON.createObjectBuilder().add("schemas", schemasJson)
                        .add("securitySchemes", JSON.createObjectBuilder().add("apiToken", JSON.createObjectBuilder()
                                .add("type", "apiKey").add("in", "header").add("name", "X-API-Token"))))
                .add("security", JSON.createArrayBuilder().add(JSON.createObjectBuilder()
                        .add("apiToken", JSON.createArrayBuilder())))
                .add("paths", pathsJson)
                .build().toString();
    }

    private void collect(Resource resource, String parent, Map<String, Map<String, JsonObject>> paths,
                         Map<String, JsonObjectBuilder> schemas) {
        String path = join(parent, resource.getPath());
        for (ResourceMethod m : resource.getResourceMethods()) {
            Method java = m.getInvocable().getHandlingMethod();
            if (java.getDeclaringClass() == OpenApiResource.class || java.getDeclaringClass() == ConsoleResource.class) {
                continue;
            }
            paths.computeIfAbsent(path.isEmpty() ? "/" : path, k -> new TreeMap<>())
                    .put(m.getHttpMethod().toLowerCase(Locale.ROOT), operation(java, schemas));
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, paths, schemas);
        }
    }

    private JsonObject operation(Method method, Map<String, JsonObjectBuilder> schemas) {
        JsonObjectBuilder op = JSON.createObjectBuilder()
                .add("operationId", method.getDeclaringClass().getSimpleName() + "_" + method.getName());
        JsonArrayBuilder params = JSON.createArrayBuilder();
        boolean any = false;
        for (Parameter p : method.getParameters()) {
            PathParam path = p.getAnnotation(PathParam.class);
            QueryParam query = p.getAnnotation(QueryParam.class);
            if (path != null || query != null) {
                params.add(JSON.createObjectBuilder().add("name", path != null ? path.value() : query.value())
                        .add("in", path != null ? "path" : "query").add("required", path != null)
                        .add("schema", schema(p.getParameterizedType(), schemas)));
                any = true;
            }
        }
        if (any) {
            op.add("parameters", params);
        }
        JsonBody body = method.getAnnotation(JsonBody.class);
        if (body != null) {
            op.add("requestBody", JSON.createObjectBuilder().add("required", true).add("content",
                    JSON.createObjectBuilder().add("application/json", JSON.createObjectBuilder()
                            .add("schema", schema(body.value(), schemas)))));
        }
        JsonObjectBuilder ok = JSON.createObjectBuilder().add("description", "OK");
        Class<?> returned = method.getReturnType();
        if (returned == String.class && method.getDeclaringClass() == MetricsResource.class) {
            ok.add("content", JSON.createObjectBuilder().add("text/plain", JSON.createObjectBuilder()
                    .add("schema", JSON.createObjectBuilder().add("type", "string"))));
        } else if (returned != void.class && returned != jakarta.ws.rs.core.Response.class) {
            ok.add("content", JSON.createObjectBuilder().add("application/json", JSON.createObjectBuilder()
                    .add("schema", schema(method.getGenericReturnType(), schemas))));
        }
        JsonObjectBuilder problem = JSON.createObjectBuilder().add("description", "Error").add("content",
                JSON.createObjectBuilder().add("application/json", JSON.createObjectBuilder().add("schema",
                        JSON.createObjectBuilder().add("$ref", "#/components/schemas/Problem"))));
        op.add("responses", JSON.createObjectBuilder().add("200", ok).add("default", problem));
        return op.build();
    }

    /** A JSON schema for a Java type; records become named components. */
    private JsonObjectBuilder schema(Type type, Map<String, JsonObjectBuilder> schemas) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                return JSON.createObjectBuilder().add("type", "array").add("items", schema(args[0], schemas));
            }
            if (java.util.concurrent.CompletionStage.class.isAssignableFrom(raw)) {
                return schema(args[0], schemas); // an asynchronous answer is documented as what it completes with
            }
            if (Map.class.isAssignableFrom(raw)) {
                return JSON.createObjectBuilder().add("type", "object")
                        .add("additionalProperties", schema(args[1], schemas));
            }
            return schema(raw, schemas);
        }
        Class<?> c = type instanceof Class<?> k ? k : Object.class;
        if (c == String.class) {
            return JSON.createObjectBuilder().add("type", "string");
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return JSON.createObjectBuilder().add("type", "integer");
        }
        if (c == double.class || c == Double.class) {
            return JSON.createObjectBuilder().add("type", "number");
        }
        if (c == boolean.class || c == Boolean.class) {
            return JSON.createObjectBuilder().add("type", "boolean");
        }
        if (c.isArray()) {
            return JSON.createObjectBuilder().add("type", "array").add("items", schema(c.getComponentType(), schemas));
        }
        if (c.isRecord()) {
            String name = c.getEnclosingClass() == null ? c.getSimpleName()
                    : c.getEnclosingClass().getSimpleName() + c.getSimpleName();
            if (!schemas.containsKey(name)) {
                schemas.put(name, JSON.createObjectBuilder()); // placeholder against recursion
                JsonObjectBuilder props = JSON.createObjectBuilder();
                for (RecordComponent rc : c.getRecordComponents()) {
                    props.add(snake(rc.getName()), schema(rc.getGenericType(), schemas));
                }
                schemas.put(name, JSON.createObjectBuilder().add("type", "object").add("properties", props));
            }
            return JSON.createObjectBuilder().add("$ref", "#/components/schemas/" + name);
        }
        return JSON.createObjectBuilder().add("type", "object");
    }

    /** The JSON name of a record component, as the JSON-B configuration writes it. */
    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static String join(String parent, String path) {
        String p = (parent + "/" + (path == null ? "" : path)).replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
