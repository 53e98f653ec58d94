package io.ingestnotify.correction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.ingestnotify.cms.CmsMisconfigured;
import io.ingestnotify.common.ArrayColumns;
import io.ingestnotify.common.Formats;
import io.ingestnotify.common.IngestMetrics;
import io.ingestnotify.common.Jdbc;
import io.ingestnotify.common.LeaseLost;
import io.ingestnotify.common.Leases;
import io.ingestnotify.common.Queries;
import io.ingestnotify.event.FileEvent;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task store: auto_correction_tasks rows made for every failed file in the intake transaction, then moved through
 * their life by the correction routes (guard, refusals, per-action results, end of an attempt). Every step is
 * appended to the task's execution_log, so its timeline reads from its row. Which actions a task needs is
 * {@link CorrectionActions}'; the operator's view and retry are {@link CorrectionTaskApi}'s.
 */
public class CorrectionTasks implements CorrectionTaskFactory {

    private static final Logger LOG = LoggerFactory.getLogger(CorrectionTasks.class);
    /** The exchange property holding the fence of the task's lease (set from the poller's claim). */
    public static final String LEASE_FENCE = "leaseFence";
    private static final String KIND = "correction";

    private final DataSource dataSource;
    private final int delaySeconds;
    private final int retryBaseSeconds;
    private final IngestMetrics metrics;
    private final DeletionBounds bounds;
    private final Leases leases;

    public CorrectionTasks(DataSource dataSource, int delaySeconds, int retryBaseSeconds, IngestMetrics metrics, DeletionBounds bounds,
                           Leases leases) {
        this.leases = leases;
        this.metrics = metrics;
        this.bounds = bounds;
        this.dataSource = dataSource;
        this.delaySeconds = delaySeconds;
        this.retryBaseSeconds = retryBaseSeconds;
    }

    @Override
    public void create(Connection c, Map<FileEvent, Integer> filed, Map<FileEvent, String> batchOf) throws SQLException {
        ArrayColumns tasks = new ArrayColumns(filed.size(), "text", "text", "int4", "int4", "text", "text", "text", "text",
                "text", "int4", "text");
        for (Map.Entry<FileEvent, Integer> entry : filed.entrySet()) {
            FileEvent e = entry.getKey();
            // A contradicted event names something the look-up does not confirm: nothing of it is deleted.
            if ("rejected".equals(e.outcome) || FileEvent.METADATA_MISMATCH.equals(e.outcome) || !e.failed()) {
                continue;
            }
            List<String> actions = CorrectionActions.actionsFor(e.errorCategory);
            tasks.add(e.fileDocumentId, e.fileName, e.companyId, e.botId, batchOf.get(e), e.errorCategory,
                    e.errorMessage != null ? e.errorMessage : "Unknown error", Formats.json(actions), e.storageKey,
                    entry.getValue(), e.errorCategory + ": " + String.join(", ", actions)
                            + (e.storageKey != null ? "; storage key " + e.storageKey : "; no storage key")
                            + (e.lookupNote != null ? " (" + e.lookupNote + ")" : ""));
        }
        if (tasks.isEmpty()) {
            return;
        }
        // One statement for the whole group, whatever its number of failed files.
        try (PreparedStatement ps = c.prepareStatement(Queries.get("correction/insert-correction-tasks"))) {
            ps.setInt(1, delaySeconds);
            tasks.bind(c, ps, 2);
            ps.executeUpdate();
        }
    }

    /** The guard: true when the file has succeeded since the task was made (then nothing may be deleted). */
    public boolean succeededSince(@Body Map<String, Object> task) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("correction/file-succeeded-since"))) {
            ps.setString(1, (String) task.get("file_document_id"));
            ps.setTimestamp(2, (Timestamp) task.get("created_at"));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Before anything is deleted: records each action outside the deletion bounds as "refused: reason" (the task then
     * ends failed and is not re-driven) and keeps them in the exchange property refusedActions, which the branches skip.
     * True when nothing is left to run.
     */
    public boolean refuseOutOfBounds(Exchange exchange) throws SQLException, LeaseLost {
        @SuppressWarnings("unchecked")
        Map<String, Object> task = exchange.getMessage().getBody(Map.class);
        int taskId = exchange.getMessage().getHeader("taskId", Integer.class);
        long fence = fence(exchange.getProperty(LEASE_FENCE, Long.class));
        Map<String, String> refused = bounds.refusals(task);
        exchange.setProperty("refusedActions", refused.keySet());
        if (refused.isEmpty()) {
            return false;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("correction/correction-refused"))) {
            for (Map.Entry<String, String> r : refused.entrySet()) {
                String detail = "refused: " + r.getValue();
                ps.setString(1, r.getValue());
                ps.setString(2, r.getKey());
                ps.setString(3, detail);
                ps.setString(4, r.getKey());
                ps.setString(5, detail);
                ps.setInt(6, taskId);
                ps.setString(7, leases.instanceId());
                ps.setLong(8, fence);
                if (ps.executeUpdate() == 0) {
                    throw leases.lost(KIND, taskId, fence, "recording a refusal");
                }
                LOG.warn("Correction task {}: {} {}", taskId, r.getKey(), detail);
            }
        }
        return CorrectionActions.parseActions(task).stream().allMatch(a -> !CorrectionActions.pending(task, a) || refused.containsKey(a));
    }

    public void actionDone(@Header("taskId") int taskId, @Header("action") String action, @Header("actionDetail") String detail,
                           @ExchangeProperty(LEASE_FENCE) Long leaseFence) throws SQLException, LeaseLost {
        long fence = fence(leaseFence);
        if (Jdbc.update(dataSource, "correction/correction-action-done", action, action, action, "done", action, detail, taskId,
                leases.instanceId(), fence) == 0) {
            throw leases.lost(KIND, taskId, fence, "recording " + action + " done (the delete had happened)");
        }
        LOG.info("Correction task {}: {} done ({})", taskId, action, detail);
    }

    /** A system that is not configured: the action is logged as skipped, never counted as done. */
    public void actionSkipped(@Header("taskId") int taskId, @Header("action") String action, @Header("actionDetail") String detail,
                              @ExchangeProperty(LEASE_FENCE) Long leaseFence) throws SQLException, LeaseLost {
        long fence = fence(leaseFence);
        if (Jdbc.update(dataSource, "correction/correction-step", "skipped", action, detail, taskId, leases.instanceId(), fence) == 0) {
            throw leases.lost(KIND, taskId, fence, "recording " + action + " skipped");
        }
        LOG.warn("Correction task {}: {} skipped ({})", taskId, action, detail);
    }

    /** Dead letter of a branch: the action failed after its redeliveries. */
    public void actionFailed(Exchange exchange) throws SQLException {
        int taskId = exchange.getMessage().getHeader("taskId", Integer.class);
        String action = exchange.getMessage().getHeader("action", String.class);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String message = Formats.describe(error);
        boolean misconfigured = ObjectHelper.getException(CmsMisconfigured.class, error) != null;
        long fence = fence(exchange.getProperty(LEASE_FENCE, Long.class));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Map<String, Object> task = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(Queries.get("correction/correction-action-failed"))) {
                ps.setString(1, action);
                ps.setString(2, message);
                ps.setString(3, misconfigured ? "misconfiguration: " + message : null);
                ps.setString(4, action);
                ps.setString(5, message);
                ps.setInt(6, taskId);
                ps.setString(7, leases.instanceId());
                ps.setLong(8, fence);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        // The lease is gone: nothing is recorded (no error row either); reported once.
                        c.rollback();
                        leases.lost(KIND, taskId, fence, "recording " + action + " failed");
                        return;
                    }
                    task.put("doc", rs.getString(1));
                    task.put("batch", rs.getObject(2));
                    task.put("event", rs.getObject(4));
                }
            }
            try (PreparedStatement ps = c.prepareStatement(Queries.get("correction/correction-error"))) {
                ps.setObject(1, task.get("event"));
                ps.setObject(2, task.get("doc"));
                ps.setObject(3, task.get("batch"));
                ps.setString(4, "Correction task " + taskId + ": " + action + " failed: " + message);
                ps.setString(5, Formats.json(Map.of("task_id", taskId, "action", action)));
                ps.executeUpdate();
            }
            c.commit();
        }
        if (misconfigured) {
            LOG.error("Correction task {}: {} failed, not retried (misconfiguration): {}", taskId, action, message);
        } else {
            LOG.warn("Correction task {}: {} failed after redeliveries: {}", taskId, action, message);
        }
    }

    /** Ends the attempt: completed, partial or failed (then re-driven after a back-off while attempts remain). */
    public String finish(@Header("taskId") int taskId, @ExchangeProperty(LEASE_FENCE) Long leaseFence) throws SQLException, LeaseLost {
        long fence = fence(leaseFence);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("correction/finish-correction"))) {
            ps.setInt(1, taskId);
            ps.setInt(2, retryBaseSeconds);
            ps.setString(3, leases.instanceId());
            ps.setLong(4, fence);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw leases.lost(KIND, taskId, fence, "ending the attempt");
                }
                String status = rs.getString("status");
                metrics.correction(status);
                if ("failed".equals(status)) {
                    LOG.warn("Correction task {} for file {} failed on attempt {} ({}: {})", taskId, rs.getString("file_document_id"),
                            rs.getInt("attempts"), rs.getString("failed_action"), rs.getString("error_during_correction"));
                } else {
                    LOG.info("Correction task {} for file {} {} on attempt {}", taskId, rs.getString("file_document_id"), status,
                            rs.getInt("attempts"));
                }
                return status;
            }
        }
    }

    /** Ends a task without deleting anything: cancelled by the guard, or a dry run's plan. */
    public void end(@Header("taskId") int taskId, @Header("endStatus") String status, @Header("actionDetail") String detail,
                    @ExchangeProperty(LEASE_FENCE) Long leaseFence) throws SQLException, LeaseLost {
        long fence = fence(leaseFence);
        if (Jdbc.update(dataSource, "correction/end-correction", status, status, detail, taskId, leases.instanceId(), fence) == 0) {
            throw leases.lost(KIND, taskId, fence, "ending it " + status);
        }
        LOG.info("Correction task {} {}: {}", taskId, status, detail);
        metrics.correction(status);
    }

    /** A task run without the fence of its claim would be unfenced: -1 matches no lease, so its steps stop at once. */
    private static long fence(Long leaseFence) {
        return leaseFence == null ? -1 : leaseFence;
    }

}
