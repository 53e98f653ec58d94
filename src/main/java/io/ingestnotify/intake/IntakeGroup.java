package io.ingestnotify.intake;

import java.util.ArrayList;
import java.util.List;

import io.ingestnotify.event.FileEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The requests whose events are filed in one transaction (group commit), in the order they joined. */
public final class IntakeGroup {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeGroup.class);

    private final List<IntakeRequest> requests = new ArrayList<>();
    private int eventCount;

    void add(IntakeRequest request) {
        requests.add(request);
        eventCount += request.events().size();
    }

    public int getEventCount() {
        return eventCount;
    }

    public int size() {
        return requests.size();
    }

    public List<FileEvent> events() {
        List<FileEvent> all = new ArrayList<>(eventCount);
        requests.forEach(r -> all.addAll(r.events()));
        return all;
    }

    /** After the commit: each request gets its own counts. */
    public void filed(IntakeResult result) {
        requests.forEach(r -> r.filed(result));
    }

    /**
     * After a failed filing: a failure that is everyone's (an outage, a misconfiguration, a lost race: each
     * request is redelivered on its own) is every request's answer; otherwise one request's data may be the cause, so the requests
     * returned are filed again one by one and only the guilty one fails. A group of one just fails.
     */
    public List<IntakeRequest> failed(Exception failure) {
        DatabaseErrors.Kind kind = DatabaseErrors.kind(failure);
        boolean everyones = kind == DatabaseErrors.Kind.OUTAGE || kind == DatabaseErrors.Kind.MISCONFIGURED
                || RequestFailures.isCmsFailure(failure);
        if (requests.size() == 1 || everyones) {
            requests.forEach(r -> r.failed(failure));
            return List.of();
        }
        LOG.warn("Intake group of {} requests ({} events) failed ({}); filing each request alone",
                requests.size(), eventCount, DatabaseErrors.message(failure));
        return List.copyOf(requests);
    }
}
