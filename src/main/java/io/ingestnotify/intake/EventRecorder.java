package io.ingestnotify.intake;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.ingestnotify.common.ArrayColumns;
import io.ingestnotify.common.Jdbc;
import io.ingestnotify.common.Queries;
import io.ingestnotify.event.FileEvent;




/**
 * Records what a group of events did, inside the intake transaction: the file_events rows of HTTP events, the claim
 * of outbox rows, each file's batch_files / file_processing_status / processing_errors rows, and the outbox marks:
 * one statement each for the whole group ({@link ArrayColumns}).
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
    /** The group's batch_files, file_processing_status and processing_errors rows: one statement each. */
    public void writeFileRows(Connection c, Map<FileEvent, Integer> filed, Map<FileEvent, String> batchOf, boolean correcting) throws SQLException {
        int n = filed.size();
        ArrayColumns files = new ArrayColumns(n, "text", "text", "text", "int8", "text", "timestamp", "int4", "int4", "text",
                "text", "int4", "text");
        ArrayColumns status = new ArrayColumns(n, "int4", "text", "text", "text", "text", "timestamp", "text");
        ArrayColumns errors = new ArrayColumns(n, "int4", "text", "text", "text", "text", "text", "bool");
        for (Map.Entry<FileEvent, Integer> entry : filed.entrySet()) {
            FileEvent e = entry.getKey();
            int rowId = entry.getValue();
            if ("rejected".equals(e.outcome)) {
                continue;
            }
            String batchId = batchOf.get(e);
            String fileStatus = e.failed() ? "failed" : "success";
            Timestamp at = Jdbc.timestamp(e.occurredAt);
            if (batchId != null) {
                files.add(batchId, e.fileDocumentId, e.displayName(), e.fileSizeBytes, fileStatus, at, e.processingTimeSeconds,
                        e.chunksCreated, e.failed() ? e.errorMessage : null, e.failed() ? e.errorCategory : null, rowId,
                        e.storageKey);
            }
            status.add(rowId, e.fileDocumentId, batchId, e.stage != null ? e.stage : e.failed() ? "failed" : "completed",
                    fileStatus, at, e.failed() ? e.errorMessage : null);
            if (e.failed()) {
                boolean mismatch = FileEvent.METADATA_MISMATCH.equals(e.outcome);
                errors.add(rowId, e.fileDocumentId, batchId, mismatch ? FileEvent.METADATA_MISMATCH : e.errorCategory,
                        mismatch ? e.rejectedReason : e.errorMessage != null ? e.errorMessage : "Unknown error", e.stage,
                        correcting && !mismatch);
            }
        }
        insert(c, "intake/insert-batch-files", files);
        insert(c, "intake/insert-processing-statuses", status);
        insert(c, "intake/insert-processing-errors", errors);
    }

    /** The outcomes of the group's outbox rows (and the reasons of contradicted HTTP events): one statement. */
    public void markOutboxRows(Connection c, Map<FileEvent, Integer> filed) throws SQLException {
        ArrayColumns marks = new ArrayColumns(filed.size(), "text", "text", "int4");
        for (Map.Entry<FileEvent, Integer> entry : filed.entrySet()) {
            FileEvent e = entry.getKey();
            // Outbox rows get their outcome here; an HTTP event was recorded with it, a contradicted one gets its reason.
            if ("outbox".equals(e.source) || e.rejectedReason != null) {
                marks.add(e.outcome, e.rejectedReason, entry.getValue());
            }
        }
        insert(c, "intake/mark-outbox-rows", marks);
    }

    private static void insert(Connection c, String query, ArrayColumns rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(Queries.get(query))) {
            rows.bind(c, ps, 1);
            ps.executeUpdate();
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
}
