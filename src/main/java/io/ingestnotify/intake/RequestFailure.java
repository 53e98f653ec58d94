package io.ingestnotify.intake;

import java.util.LinkedHashMap;
import java.util.Map;

/** How a request that failed is answered: status, Retry-After (outages only) and the JSON body. */
public record RequestFailure(int status, Integer retryAfterSeconds, Map<String, Object> body) {

    static RequestFailure of(int status, Integer retryAfter, Object... keyValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            body.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new RequestFailure(status, retryAfter, body);
    }
}
