package io.ingestnotify.batching;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.ingestnotify.common.Formats;
import io.ingestnotify.common.Queries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assigns a file to its key's open batch inside the intake transaction: PostgreSQL is the authority on membership.
 * The file joins the open batch (the one that reaches the snapshot's threshold closes it by size); with none open,
 * a batch opens with the preferences snapshot and the file joins that.
 */
public class BatchAssigner {

    private static final Logger LOG = LoggerFactory.getLogger(BatchAssigner.class);

    private final TimeUnit delayUnit;
    private final String instanceId;
    private final int leaseSeconds;

    /** @param instanceId and leaseSeconds: the lease a size completion takes on the batch, until its digest is claimed */
    public BatchAssigner(TimeUnit delayUnit, String instanceId, int leaseSeconds) {
        this.delayUnit = delayUnit;
        this.instanceId = instanceId;
        this.leaseSeconds = leaseSeconds;
    }

    /** The batch a file joined, as it is right after: what the aggregator needs to hear. */
    public record Assignment(String batchId, int totalFiles, String status, long delayMillis) {
    }

    /** The prepared statements of one transaction; the batches it opened are logged once it is committed. */
    public Session session(Connection c) throws SQLException {
        return new Session(c.prepareStatement(Queries.get("batching/add-file-to-open-batch")), c.prepareStatement(Queries.get("batching/open-batch")));
    }

    public final class Session implements AutoCloseable {
        private final PreparedStatement add;
        private final PreparedStatement open;
        private final List<String> opened = new ArrayList<>();

        private Session(PreparedStatement add, PreparedStatement open) {
            this.add = add;
            this.open = open;
        }

        public Assignment assign(int companyId, int botId, String userEmail, boolean failed, Preferences p) throws SQLException {
            for (int i = 0; i < 3; i++) {
                add.setInt(1, failed ? 0 : 1);
                add.setInt(2, failed ? 1 : 0);
                add.setString(3, instanceId);
                add.setInt(4, leaseSeconds);
                add.setInt(5, companyId);
                add.setInt(6, botId);
                add.setString(7, userEmail);
                try (ResultSet rs = add.executeQuery()) {
                    if (rs.next()) {
                        return new Assignment(rs.getString("batch_id"), rs.getInt("total_files"), rs.getString("status"),
                                delayUnit.toMillis(rs.getInt("delay_minutes")));
                    }
                }
                UUID batchId = UUID.randomUUID();
                open.setObject(1, batchId);
                open.setInt(2, companyId);
                open.setInt(3, botId);
                open.setString(4, userEmail);
                open.setString(5, Formats.json(p.toSnapshot()));
                if (open.executeUpdate() == 1) {
                    opened.add("Batch " + batchId + " opened for company " + companyId + " bot " + botId
                            + " (threshold " + p.batchSizeThreshold() + " files, delay " + p.notificationDelayMinutes()
                            + " " + delayUnit.name().toLowerCase() + ")");
                }
            }
            // Another transaction kept opening and closing this key's batch: the whole group is retried.
            throw new SQLException("Could not find or open a batch for company " + companyId + " bot " + botId, "40001");
        }

        /** Called after the commit: a batch opened by a rolled-back transaction never existed. */
        public void logOpened() {
            opened.forEach(LOG::info);
        }

        @Override
        public void close() throws SQLException {
            add.close();
            open.close();
        }
    }
}
