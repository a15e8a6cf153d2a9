package org.maas.api.http;

import org.maas.api.error.ErrorCode;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ApiException;

/**
 * Counts a body without a declared length (chunked, or HTTP/2 without content-length) as a resource
 * reads it, and stops at {@code maas.http.max-body-size} with the JSON 413. Bodies with a length were
 * checked by {@link BodyLimit} before anything was read. (Quarkus' own limit would also stop them, but
 * with an empty 413 written before the application can answer.)
 */
@Provider
public class ChunkedBodyLimit implements ReaderInterceptor {

    // Providers are built at static init, before the runtime configuration exists: read it on first use.
    private final Instance<MaasConfig> config;

    ChunkedBodyLimit(Instance<MaasConfig> config) {
        this.config = config;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (context.getHeaders().getFirst(HttpHeaders.CONTENT_LENGTH) == null) {
            context.setInputStream(new Capped(context.getInputStream(), config.get().http().maxBodySize().asLongValue()));
        }
        return context.proceed();
    }

    static ApiException tooLarge(long limit) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is over " + limit + " bytes",
                Map.of("Connection", "close")); // the rest of the body is not read: do not reuse the connection
    }

    /** Throws once more than {@code limit} bytes have been read. */
    private static final class Capped extends FilterInputStream {

        private final long limit;
        private long count;

        Capped(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            return b < 0 ? b : counted(b, 1);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            return n < 0 ? n : counted(n, n);
        }

        private int counted(int result, int bytes) {
            count += bytes;
            if (count > limit) {
                throw tooLarge(limit);
            }
            return result;
        }
    }
}
