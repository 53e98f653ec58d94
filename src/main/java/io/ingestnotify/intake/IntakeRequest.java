package io.ingestnotify.intake;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.ingestnotify.event.FileEvent;

/**
 * One HTTP request's events on their way through a group commit: the request waits for its answer, which the group
 * gives after the commit that holds its events, or the failure that is this request's own.
 */
public final class IntakeRequest {

    /** A group stuck beyond this (the pool's and the statements' own timeouts end one much sooner) answers 503. */
    private static final long LONGEST_WAIT_SECONDS = 120;

    private final List<FileEvent> events;
    private final CompletableFuture<IntakeResult> answer = new CompletableFuture<>();

    private IntakeRequest(List<FileEvent> events) {
        this.events = events;
    }

    static IntakeRequest of(List<FileEvent> events) {
        return new IntakeRequest(events);
    }

    public List<FileEvent> events() {
        return events;
    }

    /** Answers with this request's share of the group's result: its events' outcomes and the batches they joined. */
    public void filed(IntakeResult group) {
        answer.complete(IntakeResult.forEvents(events, group));
    }

    public void failed(Throwable failure) {
        answer.completeExceptionally(failure);
    }

    /** Blocks the request's thread until its group has answered; throws the failure as the filing threw it. */
    public IntakeResult await() throws Exception {
        try {
            return answer.get(LONGEST_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } catch (TimeoutException e) {
            throw new GroupTimeout(LONGEST_WAIT_SECONDS);
        }
    }
}
