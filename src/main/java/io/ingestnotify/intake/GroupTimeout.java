package io.ingestnotify.intake;

/**
 * A request's group gave no answer within the longest wait: the request is answered 503 and may be sent again (its
 * events, had they been filed after all, are then answered as duplicates).
 */
public class GroupTimeout extends Exception {

    public GroupTimeout(long seconds) {
        super("no commit of this request's group within " + seconds + " s");
    }
}
