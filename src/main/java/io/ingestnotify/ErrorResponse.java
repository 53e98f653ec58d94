package io.ingestnotify;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/** JSON bodies of the intake's error answers. */
public final class ErrorResponse {

    private ErrorResponse() {
    }

    public static Map<String, Object> badRequest(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) InvalidEventException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e.getMessage());
        m.put("field", e.getField());
        return m;
    }

    public static Map<String, Object> unavailable() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", "database unavailable; nothing was accepted, retry later");
        return m;
    }
}
