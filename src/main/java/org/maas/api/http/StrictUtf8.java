package org.maas.api.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.maas.api.error.ApiException;

/**
 * Every request body is UTF-8 exactly, or a 400 before it is parsed. Jackson's byte parser decodes overlong
 * forms ({@code C0 AD} as a soft hyphen, {@code C0 AF} as {@code /}), and a String body is decoded with
 * replacement characters: either lets bytes mean something other than what every strict reader (a log
 * viewer, the API server) sees. The JDK's decoder refuses overlong forms, encoded surrogates and truncated
 * sequences. Bodies are small (maas.http.max-body-size, enforced by {@link ChunkedBodyLimit} around this,
 * or {@link BodyLimit} before it), so the check reads the whole body once and hands the same bytes on.
 */
@Provider
@Priority(Priorities.USER + 100)
public class StrictUtf8 implements ReaderInterceptor {

    /** A body type whose own reader calls {@link #check} (the tier lookup, on the hot path). */
    public interface CheckedByItsReader {
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (CheckedByItsReader.class.isAssignableFrom(context.getType())) {
            return context.proceed(); // its reader calls check() on the bytes it reads: one copy, not two
        }
        byte[] body = context.getInputStream().readAllBytes();
        check(body);
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    /** @throws ApiException 400 naming the byte offset of the first malformed sequence */
    public static void check(byte[] body) {
        if (isAscii(body)) {
            return; // the usual body, Authorino's lookup callout among them: nothing to decode
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(Math.max(16, body.length));
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw ApiException.badRequest("the request body is not valid UTF-8: a malformed or overlong byte sequence"
                    + " at byte " + in.position() + " (0-based)");
        }
    }

    private static boolean isAscii(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
