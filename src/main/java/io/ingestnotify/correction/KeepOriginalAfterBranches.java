package io.ingestnotify.correction;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clean-up multicast's strategy: each branch records its outcome on the task row, so the route goes on with its
 * original exchange (a branch that went to the dead letter must not end the route before the attempt is finished).
 * A branch that still leaks an exception is logged; the task's row tells the rest.
 */
public class KeepOriginalAfterBranches implements AggregationStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(KeepOriginalAfterBranches.class);

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        if (newExchange.getException() != null) {
            LOG.warn("Correction task {}: branch {} ended with {}", newExchange.getMessage().getHeader("taskId"),
                    newExchange.getMessage().getHeader("action"), newExchange.getException().toString());
        }
        return null; // no aggregated result: the multicast leaves the original exchange as it was
    }
}
