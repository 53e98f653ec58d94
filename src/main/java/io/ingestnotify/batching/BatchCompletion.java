package io.ingestnotify.batching;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.ingestnotify.common.IngestMetrics;
import io.ingestnotify.common.Queries;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes a batch when the aggregator or the sweeper says it is due; PostgreSQL decides whether it really closes. */
public class BatchCompletion {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCompletion.class);

    private final DataSource dataSource;
    private final double unitSeconds;
    private final IngestMetrics metrics;
    private final String instanceId;
    private final int leaseSeconds;

    /** @param instanceId and leaseSeconds: the lease the completing caller takes on the batch, until its digest is claimed */
    public BatchCompletion(DataSource dataSource, TimeUnit delayUnit, IngestMetrics metrics, String instanceId, int leaseSeconds) {
        this.dataSource = dataSource;
        this.instanceId = instanceId;
        this.leaseSeconds = leaseSeconds;
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
            ps.setString(2, instanceId);
            ps.setInt(3, leaseSeconds);
            ps.setObject(4, id);
            ps.setBoolean(5, "timeout".equals(reason));
            ps.setDouble(6, unitSeconds);
            ps.setString(7, instanceId);
            ps.setObject(8, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                int closedWithFiles = rs.getInt("closed_with_files");
                if (!rs.wasNull()) {
                    LOG.info("Batch {} completed by {} with {} files (instance {})", batchId, reason, closedWithFiles, instanceId);
                    metrics.batchCompleted(reason);
                    return true;
                }
                String status = rs.getString("status");
                if ("completed".equals(status)) {
                    // Completed here (intake's size completion) or by an instance that died: its digest is due here.
                    // Completed by another live instance, or its digest claimed already (this is a late timer of an
                    // instance that filed some of its files): nothing to do here, and no digest rendered for nothing.
                    return !rs.getBoolean("held_elsewhere") && !rs.getBoolean("digest_claimed");
                }
                if ("processing".equals(status)) {
                    LOG.info("Batch {} not quiet for its delay yet; left open for its next timer or the sweeper", batchId);
                }
                return false;
            }
        }
    }

}
