package io.ingestnotify.intake;

/** A request holding more events than MAX_EVENTS_PER_REQUEST: answered 413, nothing recorded. */
public class TooManyEventsException extends InvalidEventException {

    private final int limit;

    public TooManyEventsException(int count, int limit) {
        super("body", count + " events in one request; at most " + limit + " (MAX_EVENTS_PER_REQUEST), split it");
        this.limit = limit;
    }

    public int getLimit() {
        return limit;
    }
}
