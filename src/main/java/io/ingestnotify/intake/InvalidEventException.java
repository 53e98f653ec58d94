package io.ingestnotify.intake;

import io.ingestnotify.common.EventText;

/** A bad event: names the field so the HTTP answer (400) and the outbox row's rejected_reason can say what to fix. */
public class InvalidEventException extends RuntimeException {

    private final String field;

    public InvalidEventException(String field, String message) {
        // Field names and messages may quote the request (a key, a token): never a control character in a log line.
        super(EventText.printable(field) + ": " + EventText.printable(message));
        this.field = EventText.printable(field);
    }

    public String getField() {
        return field;
    }
}
