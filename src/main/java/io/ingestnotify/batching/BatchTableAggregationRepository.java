package io.ingestnotify.batching;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.ingestnotify.common.Queries;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.AggregationRepository;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The aggregator's repository is the batch table itself. Intake has already written everything a batch's state
 * holds (its files, its snapshot, when it last grew) in its own transaction, so {@link #add} writes nothing: it only
 * keeps the exchange the aggregator works on. {@link #getKeys} lists the open batches in PostgreSQL and rebuilds any
 * this instance does not hold, each with the time it still has to stay quiet, so Camel's own start-up re-arms every
 * open batch's completion timeout after a restart or a crash.
 * <p>
 * Per open batch it keeps a lean exchange ({@link #lean}), not the one intake's notice arrived on: that one carries
 * every property of intake's exchange (route policy timers, intake's result...), about 2 KB a batch, and nothing
 * after the aggregation reads them.
 * <p>
 * Not a {@code RecoverableAggregationRepository}: a completed batch that failed on its way to the mail is already
 * recorded (status, email log) and re-driven by the sweeper, which also completes batches whose timer lives in an
 * instance that died.
 */
public class BatchTableAggregationRepository extends ServiceSupport implements AggregationRepository {

    /** A restored timer fires just after the batch's quiet time, so the completion's quiet check agrees. */
    private static final long MARGIN_MILLIS = 100;
    private static final String BATCH_ID = "batchId";
    private static final String BATCH_STATUS = "batchStatus";

    private final CamelContext context;
    private final DataSource dataSource;
    private final double unitSeconds;
    private final Map<String, Exchange> live = new ConcurrentHashMap<>();

    public BatchTableAggregationRepository(CamelContext context, DataSource dataSource, TimeUnit delayUnit) {
        this.context = context;
        this.dataSource = dataSource;
        this.unitSeconds = delayUnit.toNanos(1) / 1e9;
    }

    @Override
    public Exchange add(CamelContext camelContext, String key, Exchange exchange) {
        Message notice = exchange.getMessage();
        Exchange kept = lean(notice.getHeader(BATCH_ID, String.class), notice.getHeader(BATCH_STATUS, String.class),
                notice.getBody(), exchange.getProperty(ExchangePropertyKey.AGGREGATED_TIMEOUT, Long.class));
        // The aggregator counts the notices on the exchange it gets back, and its timer names the exchange by its id.
        kept.setProperty(ExchangePropertyKey.AGGREGATED_SIZE, exchange.getProperty(ExchangePropertyKey.AGGREGATED_SIZE));
        kept.setExchangeId(exchange.getExchangeId());
        return live.put(key, kept);
    }

    @Override
    public Exchange get(CamelContext camelContext, String key) {
        return live.get(key);
    }

    @Override
    public void remove(CamelContext camelContext, String key, Exchange exchange) {
        live.remove(key);
    }

    @Override
    public void confirm(CamelContext camelContext, String exchangeId) {
        // nothing to confirm: the batch's status in PostgreSQL is its record
    }

    @Override
    public Set<String> getKeys() {
        Set<String> keys = new LinkedHashSet<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("batching/open-batch-timers"))) {
            ps.setDouble(1, unitSeconds);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String batchId = rs.getString("batch_id");
                    keys.add(batchId);
                    int files = rs.getInt("total_files");
                    long timeout = rs.getLong("remaining_millis") + MARGIN_MILLIS;
                    live.computeIfAbsent(batchId, id -> rebuild(id, files, timeout));
                }
            }
        } catch (SQLException e) {
            throw new RuntimeCamelException("Could not list the open batches", e);
        }
        return keys;
    }

    private Exchange rebuild(String batchId, int files, long timeoutMillis) {
        return lean(batchId, "processing", files, timeoutMillis);
    }

    /**
     * What the aggregator and the batching route read from an open batch's exchange: its correlation header batchId,
     * batchStatus (the completion predicate), the files as body and the completion timeout Camel re-arms at start-up.
     * The completion steps read batchId only (the sweeper sends them no more).
     */
    private Exchange lean(String batchId, String batchStatus, Object files, Long timeoutMillis) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(BATCH_ID, batchId);
        exchange.getMessage().setHeader(BATCH_STATUS, batchStatus);
        exchange.getMessage().setBody(files);
        if (timeoutMillis != null) {
            exchange.setProperty(ExchangePropertyKey.AGGREGATED_TIMEOUT, timeoutMillis);
        }
        return exchange;
    }

}
