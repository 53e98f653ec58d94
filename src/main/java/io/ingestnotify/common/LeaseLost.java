package io.ingestnotify.common;

/**
 * This instance's lease on a piece of work is gone (expired, or taken over by another instance: its fence moved on).
 * The holder stops that piece of work and records nothing further; the routes handle it without redelivery.
 */
public class LeaseLost extends Exception {

    private final String kind;
    private final Object id;
    private final long fence;

    public LeaseLost(String kind, Object id, long fence, String step) {
        super("lease on " + kind + " " + id + " (fence " + fence + ") lost before " + step);
        this.kind = kind;
        this.id = id;
        this.fence = fence;
    }

    public String kind() {
        return kind;
    }

    public Object id() {
        return id;
    }

    public long fence() {
        return fence;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected outcome, reported in one line: no stack trace
    }
}
