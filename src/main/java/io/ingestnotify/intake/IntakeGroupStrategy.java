package io.ingestnotify.intake;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Gathers concurrent requests ({@link IntakeRequest} bodies) into one {@link IntakeGroup} body, and tells the
 * aggregator's timeout checker when a group opens and closes (it ticks only in between).
 */
public class IntakeGroupStrategy implements AggregationStrategy {

    private final GroupWindowTimer timer;

    public IntakeGroupStrategy(GroupWindowTimer timer) {
        this.timer = timer;
    }

    @Override
    public Exchange aggregate(Exchange group, Exchange request) {
        if (group == null) {
            IntakeGroup first = new IntakeGroup();
            first.add(request.getMessage().getBody(IntakeRequest.class));
            request.getMessage().setBody(first);
            timer.groupOpened();
            return request;
        }
        group.getMessage().getBody(IntakeGroup.class).add(request.getMessage().getBody(IntakeRequest.class));
        return group;
    }

    /** Called by the aggregator for every group it completes (window, size, stop). */
    @Override
    public void onCompletion(Exchange group) {
        timer.groupClosed();
    }
}
