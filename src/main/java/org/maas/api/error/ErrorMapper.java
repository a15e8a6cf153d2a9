package org.maas.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into the {@link ApiError} shape; nothing reaches a client as a stack trace. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response api(ApiException e, HttpServerRequest request) {
        Response.ResponseBuilder response = respond(e.status(), e.toError());
        e.headers().forEach((name, value) -> {
            // Connection belongs to HTTP/1.x; HTTP/2 ends the stream instead
            if (!name.equalsIgnoreCase("Connection") || request.version() != HttpVersion.HTTP_2) {
                response.header(name, value);
            }
        });
        return response.build();
    }

    /** Framework answers: unknown path, wrong method, wrong content type, not acceptable. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json); // the JSON reader wraps its parse errors
        }
        int status = e.getResponse().getStatus();
        ApiError error = switch (status) {
            case 404 -> ApiError.of(ErrorCode.NOT_FOUND, "no such resource");
            case 405 -> ApiError.of(ErrorCode.METHOD_NOT_ALLOWED, "this method is not allowed on this path");
            case 406 -> ApiError.of(ErrorCode.NOT_ACCEPTABLE,
                    "this endpoint cannot answer in the media type that Accept asks for");
            case 413 -> ApiError.of(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is too large");
            case 415 -> ApiError.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as Content-Type: application/json");
            default -> status < 500
                    ? ApiError.of(ErrorCode.BAD_REQUEST, e.getMessage() == null ? "bad request" : e.getMessage())
                    : null;
        };
        if (error == null) {
            return unexpected(e);
        }
        Response.ResponseBuilder response = respond(status, error);
        if (status == 405) {
            e.getResponse().getHeaders().getOrDefault("Allow", List.of()).forEach(h -> response.header("Allow", h));
        }
        return response.build();
    }

    /** A body that is not JSON, or JSON of the wrong shape (more specific than Quarkus' own mappers). */
    @ServerExceptionMapper
    public Response mismatch(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return respond(400, ApiError.of(ErrorCode.BAD_REQUEST, describe(e))).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (Disconnects.isDisconnect(e)) { // nobody is left to read the answer
            LOG.debugf("client disconnected mid-request: %s", e);
            return respond(400, ApiError.of(ErrorCode.BAD_REQUEST, "the client closed the connection")).build();
        }
        LOG.error("unexpected error", e);
        return respond(500, ApiError.of(ErrorCode.INTERNAL_ERROR, ErrorCode.LOGGED)).build();
    }

    public static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "'; allowed: " + u.getKnownPropertyIds();
        }
        if (e instanceof MismatchedInputException m && m.getOriginalMessage().startsWith("Trailing token")) {
            return "the body is not valid JSON: something follows the closing '}'";
        }
        if (e instanceof MismatchedInputException m) {
            String path = path(m);
            return (path.isEmpty() ? "the body" : path) + " has the wrong type: expected " + expected(m.getTargetType());
        }
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return "the body is not valid JSON" + where + ": " + reason(e.getOriginalMessage());
    }

    /** Jackson's first clause ("Unexpected end-of-input", "Duplicate field 'x'"), without its internals. */
    private static String reason(String message) {
        String reason = message == null ? "unreadable" : message.split("[:(\\n]", 2)[0].trim();
        return reason.length() > 80 ? reason.substring(0, 80) + "..." : reason;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return Number.class.isAssignableFrom(type) || type.isPrimitive() ? "a number" : "a JSON object";
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static Response.ResponseBuilder respond(int status, ApiError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error);
    }
}
