package org.maas.api.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void theSchemaNamesEveryCodeAnswered() throws Exception {
        String description = ApiError.class.getDeclaredField("error").getAnnotation(Schema.class).description();
        List<String> listed = Arrays.stream(description.replaceFirst(".*one of ", "").replaceFirst(";.*", "")
                .split(",")).map(String::trim).sorted().toList();
        assertEquals(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).sorted().toList(), listed);
    }

    @Test
    void eachStatusHasOneCode() {
        assertEquals(ErrorCode.values().length,
                Arrays.stream(ErrorCode.values()).mapToInt(ErrorCode::status).distinct().count());
        assertEquals(ErrorCode.CONFLICT, ErrorCode.forStatus(409).orElseThrow());
        assertEquals("payload_too_large", ErrorCode.PAYLOAD_TOO_LARGE.code());
    }
}
