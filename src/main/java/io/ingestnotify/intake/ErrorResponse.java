package io.ingestnotify.intake;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ingestnotify.common.PathIds;
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

    /** 413: the request holds more events than MAX_EVENTS_PER_REQUEST. */
    public static Map<String, Object> tooMany(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) TooManyEventsException e) {
        Map<String, Object> m = badRequest(e);
        m.put("max_events_per_request", e.getLimit());
        return m;
    }

    /** 400 for an operator API path id that is not well formed. */
    public static Map<String, Object> badPathId(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) PathIds.BadPathIdException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e.getMessage());
        m.put("field", e.getField());
        return m;
    }

    /** 404 for a well-formed id nothing carries. */
    public static Map<String, Object> notFound(String what) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", "no such " + what);
        return m;
    }
}
