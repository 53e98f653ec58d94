package io.ingestnotify.ops;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer of {@code POST /api/corrections/{id}/retry}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetryAnswer(boolean retried, String error) {

    public static RetryAnswer scheduled() {
        return new RetryAnswer(true, null);
    }

    public static RetryAnswer notFailed() {
        return new RetryAnswer(false, "only a failed task can be retried");
    }

    public static RetryAnswer noSuchTask() {
        return new RetryAnswer(false, "no such correction task");
    }
}
