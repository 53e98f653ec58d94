package io.ingestnotify.intake;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/** Gathers concurrent requests ({@link IntakeRequest} bodies) into one {@link IntakeGroup} body. */
public class IntakeGroupStrategy implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange group, Exchange request) {
        if (group == null) {
            IntakeGroup first = new IntakeGroup();
            first.add(request.getMessage().getBody(IntakeRequest.class));
            request.getMessage().setBody(first);
            return request;
        }
        group.getMessage().getBody(IntakeGroup.class).add(request.getMessage().getBody(IntakeRequest.class));
        return group;
    }
}
