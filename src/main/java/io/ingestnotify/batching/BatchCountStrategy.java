package io.ingestnotify.batching;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Aggregates a batch's intake notices into a file count. The body stays a tiny Integer so the persistent
 * aggregation repository stores almost nothing; the newest headers (status, delay) win.
 */
public class BatchCountStrategy implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        int added = newExchange.getMessage().getBody(Integer.class);
        if (oldExchange == null) {
            newExchange.getMessage().setBody(added);
            return newExchange;
        }
        int total = oldExchange.getMessage().getBody(Integer.class) + added;
        oldExchange.getMessage().getHeaders().putAll(newExchange.getMessage().getHeaders());
        oldExchange.getMessage().setBody(total);
        return oldExchange;
    }
}
