package io.ingestnotify.ops;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer of {@code POST /api/batches/{batchId}/resend}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResendAnswer(boolean resent, String error) {

    public static ResendAnswer done() {
        return new ResendAnswer(true, null);
    }

    public static ResendAnswer nothingToResend() {
        return new ResendAnswer(false, "no failed digest for this batch");
    }

    public static ResendAnswer noSuchBatch() {
        return new ResendAnswer(false, "no such batch");
    }
}
