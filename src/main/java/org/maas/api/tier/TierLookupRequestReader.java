package org.maas.api.tier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyReader;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;
import org.maas.api.http.StrictUtf8;

/**
 * Reads the lookup body with one {@link ObjectReader} built at startup from the application's (strict)
 * mapper, instead of the generic JSON reader's per-request type resolution: the lookup is called on
 * every uncached gateway request. Errors are Jackson's, mapped to 400 like any other JSON body.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class TierLookupRequestReader implements ServerMessageBodyReader<TierLookupRequest> {

    private final ObjectReader reader;

    public TierLookupRequestReader(ObjectMapper mapper) {
        this.reader = mapper.readerFor(TierLookupRequest.class);
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo lazyMethod,
                              MediaType mediaType) {
        return type == TierLookupRequest.class;
    }

    @Override
    public TierLookupRequest readFrom(Class<TierLookupRequest> type, Type genericType, MediaType mediaType,
                                      ServerRequestContext context) throws IOException {
        return read(context.getInputStream());
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == TierLookupRequest.class;
    }

    @Override
    public TierLookupRequest readFrom(Class<TierLookupRequest> type, Type genericType, Annotation[] annotations,
                                      MediaType mediaType, MultivaluedMap<String, String> httpHeaders,
                                      InputStream entityStream) throws IOException {
        return read(entityStream);
    }

    private TierLookupRequest read(InputStream in) throws IOException {
        // Whole bodies up to quarkus.rest.input-buffer-size (= the body limit) are already in memory; a chunked
        // one is capped by ChunkedBodyLimit as it is read here.
        return read(in.readAllBytes());
    }

    /**
     * The body, checked to be UTF-8 exactly (here, where it is read: StrictUtf8 leaves this type alone so the
     * body is copied once). An empty body reads as null, which the lookup answers with a 400 naming the shape.
     */
    TierLookupRequest read(byte[] body) throws IOException {
        StrictUtf8.check(body);
        return isBlank(body) ? null : reader.readValue(body);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
