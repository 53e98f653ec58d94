package io.ingestnotify.batching;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.ingestnotify.config.Queries;
import io.ingestnotify.ops.IngestMetrics;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes a batch when the aggregator or the sweeper says it is due; PostgreSQL decides whether it really closes. */
public class BatchCompletion {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCompletion.class);

    private final DataSource dataSource;
    private final double unitSeconds;
    private final IngestMetrics metrics;

    public BatchCompletion(DataSource dataSource, TimeUnit delayUnit, IngestMetrics metrics) {
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.unitSeconds = delayUnit.toNanos(1) / 1e9;
    }

    /**
     * @return true when the batch is completed (by this call or already by intake at its size), so its digest is due;
     *         false when it is still open (not quiet yet) or unknown.
     */
    public boolean close(@Header("batchId") String batchId, @Header("completionReason") String reason) throws SQLException {
        UUID id = UUID.fromString(batchId);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("batching/close-batch"))) {
            ps.setString(1, reason);
            ps.setObject(2, id);
            ps.setBoolean(3, "timeout".equals(reason));
            ps.setDouble(4, unitSeconds);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    LOG.info("Batch {} completed by {} with {} files", batchId, reason, rs.getInt(1));
                    metrics.batchCompleted(reason);
                    return true;
                }
            }
            String status = status(c, id);
            if ("completed".equals(status)) {
                return true;
            }
            if ("processing".equals(status)) {
                LOG.info("Batch {} not quiet for its delay yet; left open for its next timer or the sweeper", batchId);
            }
            return false;
        }
    }

    private static String status(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Queries.get("batching/batch-status"))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
