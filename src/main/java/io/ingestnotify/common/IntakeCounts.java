package io.ingestnotify.common;

import java.util.Map;

/** What one filed group of events counts for the metrics: events by outcome, batches it completed by size. */
public interface IntakeCounts {

    Map<String, Integer> eventsByOutcome();

    long batchesCompletedBySize();
}
