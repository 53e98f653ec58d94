package io.ingestnotify.intake;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import io.ingestnotify.common.Jdbc;
import io.ingestnotify.common.Queries;
import io.ingestnotify.event.FileEvent;




/**
 * Records what a group of events did, inside the intake transaction: the file_events rows of HTTP events, the claim
 * of outbox rows, each file's batch_files / file_processing_status / processing_errors rows, and the outbox marks.
 */
public class EventRecorder {

    private final DataSource dataSource;

    public EventRecorder(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Map<String, Integer> recordHttpEvents(Connection c, List<FileEvent> events) throws SQLException {
        List<FileEvent> fresh = events.stream().filter(e -> !"outbox".equals(e.source) && !"rejected".equals(e.outcome)).toList();
        Map<String, Integer> ids = new HashMap<>();
        if (fresh.isEmpty()) {
            return ids;
        }
        int n = fresh.size();
        Object[][] cols = new Object[17][n];
        for (int i = 0; i < n; i++) {
            FileEvent e = fresh.get(i);
            Object[] row = {e.eventId, e.fileDocumentId, e.status, e.userEmail, e.companyId, e.botId, e.fileName,
                e.storageKey, e.fileSizeBytes, e.stage, e.chunksCreated, e.processingTimeSeconds, e.errorMessage,
                e.errorCategory, Jdbc.timestamp(e.occurredAt), e.source, e.outcome};
            for (int col = 0; col < row.length; col++) {
                cols[col][i] = row[col];
            }
        }
        String[] types = {"text", "text", "text", "text", "int4", "int4", "text", "text", "int8", "text", "int4", "int4",
            "text", "text", "timestamp", "text", "text"};
        try (PreparedStatement ps = c.prepareStatement(Queries.get("intake/record-http-events"))) {
            for (int col = 0; col < cols.length; col++) {
                Array array = c.createArrayOf(types[col], cols[col]);
                ps.setArray(col + 1, array);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString("event_id"), rs.getInt("id"));
                }
            }
        }
        return ids;
    }
    /** Marks the group's outbox rows processed first: a row another instance already filed is skipped, never filed twice. */
    public Set<Integer> takeOutboxRows(Connection c, List<FileEvent> events) throws SQLException {
        Integer[] ids = events.stream().filter(e -> "outbox".equals(e.source)).map(e -> e.fileEventRowId).toArray(Integer[]::new);
        Set<Integer> taken = new HashSet<>();
        if (ids.length == 0) {
            return taken;
        }
        try (PreparedStatement ps = c.prepareStatement(Queries.get("intake/take-outbox-rows"))) {
            ps.setArray(1, c.createArrayOf("int4", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    taken.add(rs.getInt(1));
                }
            }
        }
        return taken;
    }
    public void writeFileRows(Connection c, Map<FileEvent, Integer> filed, Map<FileEvent, String> batchOf, boolean correcting) throws SQLException {
        try (PreparedStatement files = c.prepareStatement(Queries.get("intake/insert-batch-file"));
             PreparedStatement status = c.prepareStatement(Queries.get("intake/insert-processing-status"));
             PreparedStatement errors = c.prepareStatement(Queries.get("intake/insert-processing-error"))) {
            for (Map.Entry<FileEvent, Integer> entry : filed.entrySet()) {
                FileEvent e = entry.getKey();
                int rowId = entry.getValue();
                if ("rejected".equals(e.outcome)) {
                    continue;
                }
                UUID batchId = batchOf.containsKey(e) ? UUID.fromString(batchOf.get(e)) : null;
                String fileStatus = e.failed() ? "failed" : "success";
                Timestamp at = Jdbc.timestamp(e.occurredAt);
                if (batchId != null) {
                    files.setObject(1, batchId);
                    files.setString(2, e.fileDocumentId);
                    files.setString(3, e.displayName());
                    setLong(files, 4, e.fileSizeBytes);
                    files.setString(5, fileStatus);
                    files.setTimestamp(6, at);
                    setInt(files, 7, e.processingTimeSeconds);
                    setInt(files, 8, e.chunksCreated);
                    files.setString(9, e.failed() ? e.errorMessage : null);
                    files.setString(10, e.failed() ? e.errorCategory : null);
                    files.setInt(11, rowId);
                    files.setString(12, e.storageKey);
                    files.addBatch();
                }
                status.setInt(1, rowId);
                status.setString(2, e.fileDocumentId);
                status.setObject(3, batchId);
                status.setString(4, e.stage != null ? e.stage : e.failed() ? "failed" : "completed");
                status.setString(5, fileStatus);
                status.setTimestamp(6, at);
                status.setString(7, e.failed() ? e.errorMessage : null);
                status.addBatch();
                boolean mismatch = FileEvent.METADATA_MISMATCH.equals(e.outcome);
                if (e.failed()) {
                    errors.setInt(1, rowId);
                    errors.setString(2, e.fileDocumentId);
                    errors.setObject(3, batchId);
                    errors.setString(4, mismatch ? FileEvent.METADATA_MISMATCH : e.errorCategory);
                    errors.setString(5, mismatch ? e.rejectedReason : e.errorMessage != null ? e.errorMessage : "Unknown error");
                    errors.setString(6, e.stage);
                    errors.setBoolean(7, correcting && !mismatch);
                    errors.addBatch();
                }
            }
            files.executeBatch();
            status.executeBatch();
            errors.executeBatch();
        }
    }
    public void markOutboxRows(Connection c, Map<FileEvent, Integer> filed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Queries.get("intake/mark-outbox-row"))) {
            boolean any = false;
            for (Map.Entry<FileEvent, Integer> entry : filed.entrySet()) {
                FileEvent e = entry.getKey();
                // Outbox rows get their outcome here; an HTTP event was recorded with it, a contradicted one gets its reason.
                if ("outbox".equals(e.source) || e.rejectedReason != null) {
                    ps.setString(1, e.outcome);
                    ps.setString(2, e.rejectedReason);
                    ps.setInt(3, entry.getValue());
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }
    /** Marks one outbox row rejected (processed, so never claimed again); false when another instance filed it. */
    public boolean rejectOutboxRow(int rowId, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("intake/reject-outbox-row"))) {
            ps.setString(1, reason);
            ps.setInt(2, rowId);
            return ps.executeUpdate() == 1;
        }
    }
    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }
    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }
}
