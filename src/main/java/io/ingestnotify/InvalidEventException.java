package io.ingestnotify;

/** A bad event: names the field so the HTTP answer (400) and the outbox row's rejected_reason can say what to fix. */
public class InvalidEventException extends RuntimeException {

    private final String field;

    public InvalidEventException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String getField() {
        return field;
    }
}
