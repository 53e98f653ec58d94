package io.ingestnotify.correction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.ingestnotify.common.IngestMetrics;
import io.ingestnotify.common.Jdbc;
import io.ingestnotify.common.LeaseLost;
import io.ingestnotify.common.Leases;
import io.ingestnotify.common.Queries;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deletion circuit breaker: at most MAX_DELETIONS_PER_HOUR tasks delete in a rolling hour, so a pipeline gone wrong
 * (or a leaked intake token) can never wipe a tenant. Past the limit a task waits as 'held' until the operator releases
 * (it runs at once, beyond the limit) or cancels it. Each decision is taken under a transaction-level advisory lock, so
 * instances sharing the database agree on who gets the last slot.
 */
public class DeletionBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(DeletionBreaker.class);

    private final DataSource dataSource;
    private final int maxPerHour;
    private final IngestMetrics metrics;

    private final Leases leases;

    public DeletionBreaker(DataSource dataSource, int maxPerHour, IngestMetrics metrics, Leases leases) {
        this.leases = leases;
        this.dataSource = dataSource;
        this.maxPerHour = maxPerHour;
        this.metrics = metrics;
    }

    /** True when the task must wait (then it is 'held' already); false when it may run its deletes now. */
    public boolean holds(@Header("taskId") int taskId, @ExchangeProperty(CorrectionTasks.LEASE_FENCE) Long leaseFence)
            throws SQLException, LeaseLost {
        long fence = leaseFence == null ? -1 : leaseFence;
        long heldBefore;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement(Queries.get("correction/deletion-breaker-lock"))) {
                    lock.execute();
                }
                try (PreparedStatement admit = c.prepareStatement(Queries.get("correction/deletion-breaker-admit"))) {
                    admit.setInt(1, taskId);
                    admit.setInt(2, maxPerHour);
                    try (ResultSet rs = admit.executeQuery()) {
                        if (rs.next()) {
                            c.commit();
                            return false;
                        }
                    }
                }
                try (PreparedStatement hold = c.prepareStatement(Queries.get("correction/deletion-breaker-hold"))) {
                    hold.setString(1, "MAX_DELETIONS_PER_HOUR (" + maxPerHour + ") reached; waiting for the operator to release or cancel");
                    hold.setInt(2, taskId);
                    hold.setString(3, leases.instanceId());
                    hold.setLong(4, fence);
                    try (ResultSet rs = hold.executeQuery()) {
                        if (!rs.next()) {
                            c.rollback();
                            throw leases.lost("correction", taskId, fence, "holding it for the deletion breaker");
                        }
                        heldBefore = rs.getLong(1);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        metrics.correction("held");
        if (heldBefore == 0) {
            LOG.warn("Deletion circuit breaker tripped: {} correction tasks deleted in the last hour (MAX_DELETIONS_PER_HOUR); "
                    + "task {} and the next ones are held until an operator releases or cancels them "
                    + "(POST /api/corrections/held/release or /cancel)", maxPerHour, taskId);
        } else {
            LOG.debug("Correction task {} held by the deletion circuit breaker", taskId);
        }
        return true;
    }

    /** POST /api/corrections/held/release: held tasks run now, beyond the limit. */
    public Map<String, Object> release() throws SQLException {
        int n = update("correction/release-held-corrections");
        LOG.info("Operator released {} held correction task(s); they run now, beyond MAX_DELETIONS_PER_HOUR", n);
        return Map.of("released", n);
    }

    /** POST /api/corrections/held/cancel: held tasks end cancelled, nothing deleted. */
    public Map<String, Object> cancel() throws SQLException {
        int n = update("correction/cancel-held-corrections");
        LOG.info("Operator cancelled {} held correction task(s); nothing deleted", n);
        metrics.correction("cancelled", n);
        return Map.of("cancelled", n);
    }

    public double heldCount() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("correction/count-held-corrections"));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    /** The ops summary's view of the hold: how many tasks wait, and the first of them. */
    public Map<String, Object> summary(Connection c) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("limitPerHour", maxPerHour);
        m.put("count", (long) heldCount());
        m.put("tasks", Jdbc.rows(c, "correction/ops-held-corrections"));
        return m;
    }

    private int update(String query) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(Queries.get(query))) {
            return ps.executeUpdate();
        }
    }
}
