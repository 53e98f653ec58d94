package io.ingestnotify.intake;

import java.util.List;

import io.ingestnotify.event.FileEvent;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;

/**
 * The steps of the group commit routes (intake-group-join, intake-group-file, intake-group-failed): each request
 * waits in variable {@value #REQUEST} for its answer, the group is in variable {@value #GROUP} while it is filed.
 */
public final class GroupCommit {

    static final String REQUEST = "intakeRequest";
    static final String GROUP = "intakeGroup";

    private GroupCommit() {
    }

    public static IntakeRequest request(@Body List<FileEvent> events) {
        return IntakeRequest.of(events);
    }

    /** The request's own counts once its group committed, or its own failure, thrown as the filing threw it. */
    public static IntakeResult await(@Variable(REQUEST) IntakeRequest request) throws Exception {
        return request.await();
    }

    public static List<FileEvent> events(@Body IntakeGroup group) {
        return group.events();
    }

    public static void filed(@Variable(GROUP) IntakeGroup group, @Body IntakeResult result) {
        group.filed(result);
    }

    /** The requests to file again one by one; none when the failure is every request's answer. */
    public static List<IntakeRequest> failed(@Variable(GROUP) IntakeGroup group,
                                             @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        return group.failed(failure);
    }

    public static void requestFiled(@Variable(REQUEST) IntakeRequest request, @Body IntakeResult result) {
        request.filed(result);
    }

    public static void requestFailed(@Variable(REQUEST) IntakeRequest request,
                                     @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        request.failed(failure);
    }
}
