package io.ingestnotify.batching;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exchange kept per open batch is lean: what the aggregator and the batching route read back from it, none of
 * the headers and properties intake's exchange carried (the ~2 KB a batch that held 100,000 open batches at 246 MB).
 */
class BatchTableAggregationRepositoryTest {

    private final CamelContext context = new DefaultCamelContext();
    // add and get never touch the database: intake wrote the batch's state already
    private final BatchTableAggregationRepository repository =
            new BatchTableAggregationRepository(context, null, TimeUnit.MILLISECONDS);

    @Test
    void anOpenBatchKeepsOnlyWhatTheAggregatorReadsBack() {
        Exchange notice = new DefaultExchange(context);
        notice.getMessage().setHeader("batchId", "b-1");
        notice.getMessage().setHeader("batchStatus", "processing");
        notice.getMessage().setHeader("batchDelayMillis", 60_000L);
        notice.getMessage().setHeader("intakeHeader", "x".repeat(500));
        notice.getMessage().setBody(3);
        notice.setProperty("intakeResult", Map.of("touched", "x".repeat(500)));
        notice.setProperty(ExchangePropertyKey.AGGREGATED_SIZE, 2);
        notice.setProperty(ExchangePropertyKey.AGGREGATED_TIMEOUT, 60_000L);

        repository.add(context, "b-1", notice);
        Exchange kept = repository.get(context, "b-1");

        assertThat(kept).isNotSameAs(notice);
        assertThat(kept.getMessage().getHeaders()).containsOnlyKeys("batchId", "batchStatus")
                .containsEntry("batchId", "b-1").containsEntry("batchStatus", "processing");
        assertThat(kept.getMessage().getBody()).isEqualTo(3);
        assertThat(kept.getProperties()).isEmpty();
        assertThat(kept.getAllProperties()).containsOnlyKeys(Exchange.AGGREGATED_SIZE, Exchange.AGGREGATED_TIMEOUT);
        assertThat(kept.getProperty(ExchangePropertyKey.AGGREGATED_SIZE, Integer.class)).isEqualTo(2);
        assertThat(kept.getProperty(ExchangePropertyKey.AGGREGATED_TIMEOUT, Long.class)).isEqualTo(60_000L);
        // Camel's timeout map names the batch's exchange by this id
        assertThat(kept.getExchangeId()).isEqualTo(notice.getExchangeId());
    }

    @Test
    void theNextNoticeReplacesTheKeptExchangeAndRemoveForgetsIt() {
        Exchange first = new DefaultExchange(context);
        first.getMessage().setHeader("batchId", "b-2");
        first.getMessage().setHeader("batchStatus", "processing");
        first.getMessage().setBody(1);
        repository.add(context, "b-2", first);
        Exchange second = new DefaultExchange(context);
        second.getMessage().setHeader("batchId", "b-2");
        second.getMessage().setHeader("batchStatus", "completed");
        second.getMessage().setBody(2);

        Exchange previous = repository.add(context, "b-2", second);

        assertThat(previous.getMessage().getBody()).isEqualTo(1);
        assertThat(repository.get(context, "b-2").getMessage().getHeader("batchStatus")).isEqualTo("completed");
        repository.remove(context, "b-2", second);
        assertThat(repository.get(context, "b-2")).isNull();
    }
}
