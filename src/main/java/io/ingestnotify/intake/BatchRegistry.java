package io.ingestnotify.intake;


import io.ingestnotify.batching.Preferences;
import io.ingestnotify.config.Formats;
import io.ingestnotify.config.Jdbc;
import io.ingestnotify.config.Queries;
import io.ingestnotify.correction.CorrectionTaskFactory;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files a group of events into their batches in one transaction: PostgreSQL is the authority on membership.
 * For each event: add it to its key's open batch (opening one, with the preferences snapshot, when there is none),
 * record the batch_files / file_processing_status / processing_errors rows, and mark outbox rows processed.
 * One commit per group, never one per event.
 */
public class BatchRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRegistry.class);
    private static final int MAX_TX_ATTEMPTS = 5;

    private final DataSource dataSource;
    private final Function<FileEvent.BatchKey, Preferences> preferences;
    private final String defaultRecipient;
    private final TimeUnit delayUnit;
    private final CorrectionTaskFactory corrections;
    private final RecipientDomains recipientDomains;

    public BatchRegistry(DataSource dataSource, Function<FileEvent.BatchKey, Preferences> preferences,
                         String defaultRecipient, TimeUnit delayUnit, CorrectionTaskFactory corrections) {
        this(dataSource, preferences, defaultRecipient, delayUnit, corrections, RecipientDomains.any());
    }

    public BatchRegistry(DataSource dataSource, Function<FileEvent.BatchKey, Preferences> preferences,
                         String defaultRecipient, TimeUnit delayUnit, CorrectionTaskFactory corrections,
                         RecipientDomains recipientDomains) {
        this.recipientDomains = recipientDomains;
        this.dataSource = dataSource;
        this.preferences = preferences;
        this.defaultRecipient = defaultRecipient == null || defaultRecipient.isBlank() ? null : defaultRecipient.trim().toLowerCase();
        this.delayUnit = delayUnit;
        this.corrections = corrections;
    }

    public IntakeResult file(List<FileEvent> events) throws SQLException {
        List<FileEvent> live = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int duplicatesInGroup = 0;
        int rejected = 0;
        for (FileEvent e : events) {
            if ("rejected".equals(e.outcome)) {
                rejected++;
                live.add(e);
                continue;
            }
            if (!seen.add(e.eventId)) {
                duplicatesInGroup++;
                continue;
            }
            resolveOutcome(e);
            live.add(e);
        }
        // Preferences come from the cache before the transaction: no CMS call while row locks are held.
        Map<FileEvent.BatchKey, Preferences> prefs = new HashMap<>();
        for (FileEvent e : live) {
            if ("batched".equals(e.outcome)) {
                prefs.computeIfAbsent(e.key(), preferences);
            }
        }
        // Lock session rows in one order (by key) so concurrent groups cannot deadlock.
        live.sort(Comparator.comparing((FileEvent e) -> "batched".equals(e.outcome) ? e.key() : null,
                Comparator.nullsFirst(Comparator.naturalOrder())));

        IntakeResult result;
        try {
            result = fileWithRetries(live, prefs);
        } catch (SQLException ex) {
            // An outbox group the database refuses (data, not an outage): file its events one by one, so the row it
            // refuses is marked rejected and the others are filed. A rare path; the normal case stays one commit.
            if (live.size() < 2 || live.stream().anyMatch(e -> !"outbox".equals(e.source))
                    || DatabaseErrors.kind(ex) != DatabaseErrors.Kind.BAD_DATA) {
                throw ex;
            }
            LOG.warn("Outbox group of {} rows refused by the database ({}); filing its rows one by one",
                    live.size(), DatabaseErrors.message(ex));
            result = fileOneByOne(live, prefs);
        }
        result.duplicates += duplicatesInGroup;
        result.rejected += rejected;
        return result;
    }

    private IntakeResult fileWithRetries(List<FileEvent> events, Map<FileEvent.BatchKey, Preferences> prefs) throws SQLException {
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_TX_ATTEMPTS; attempt++) {
            try {
                return fileInTransaction(events, prefs);
            } catch (SQLException ex) {
                last = ex;
                if (!isRetryable(ex)) {
                    throw ex;
                }
                LOG.debug("Intake transaction attempt {} hit {}; retrying", attempt, ex.getSQLState());
            }
        }
        throw last;
    }

    /** Each event of an outbox group in its own transaction; a row the database refuses is marked rejected, with why. */
    private IntakeResult fileOneByOne(List<FileEvent> events, Map<FileEvent.BatchKey, Preferences> prefs) throws SQLException {
        IntakeResult total = new IntakeResult();
        for (FileEvent e : events) {
            try {
                total.add(fileWithRetries(List.of(e), prefs));
            } catch (SQLException ex) {
                if (DatabaseErrors.kind(ex) != DatabaseErrors.Kind.BAD_DATA) {
                    throw ex;
                }
                String reason = "refused by the database: " + DatabaseErrors.message(ex);
                if (rejectOutboxRow(e.fileEventRowId, reason)) {
                    total.rejected++;
                    LOG.warn("Outbox row {} (event {}, file {}) rejected: {}", e.fileEventRowId, e.eventId, e.fileDocumentId, reason);
                } else {
                    total.duplicates++;
                }
            }
        }
        return total;
    }

    /** Marks one outbox row rejected (processed, so never claimed again); false when another instance filed it. */
    private boolean rejectOutboxRow(int rowId, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("reject-outbox-row"))) {
            ps.setString(1, reason);
            ps.setInt(2, rowId);
            return ps.executeUpdate() == 1;
        }
    }

    private void resolveOutcome(FileEvent e) {
        if (FileEvent.METADATA_MISMATCH.equals(e.outcome)) {
            return; // decided by the look-up: recorded with its reason, joins no batch, gets no task
        }
        if (!e.hasMetadata()) {
            e.outcome = "file_not_found";
            e.errorCategory = ErrorCategories.FILE_NOT_FOUND;
            if (e.errorMessage == null) {
                e.errorMessage = "No file found for document_id: " + e.fileDocumentId;
            }
            return;
        }
        if (e.userEmail == null) {
            e.userEmail = defaultRecipient;
        }
        if (e.userEmail == null) {
            e.outcome = "no_recipient";
        } else if (!recipientDomains.allows(e.userEmail)) {
            // Recorded (and a failure still corrected) like no_recipient, but no digest leaves for that domain.
            e.outcome = "recipient_not_allowed";
        } else {
            e.outcome = "batched";
        }
    }

    private IntakeResult fileInTransaction(List<FileEvent> events, Map<FileEvent.BatchKey, Preferences> prefs) throws SQLException {
        IntakeResult result = new IntakeResult();
        List<String> opened = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Map<String, Integer> httpRowIds = recordHttpEvents(c, events);
                Set<Integer> taken = takeOutboxRows(c, events);
                // The events this transaction files, each with its file_events row id.
                Map<FileEvent, Integer> filed = new LinkedHashMap<>();
                Map<FileEvent, String> batchOf = new IdentityHashMap<>();
                try (PreparedStatement add = c.prepareStatement(Queries.get("add-file-to-open-batch"));
                     PreparedStatement open = c.prepareStatement(Queries.get("open-batch"))) {
                    for (FileEvent e : events) {
                        Integer rowId = "outbox".equals(e.source)
                                ? (taken.contains(e.fileEventRowId) ? e.fileEventRowId : null)
                                : httpRowIds.get(e.eventId);
                        if (rowId == null) {
                            result.duplicates++;
                            continue;
                        }
                        filed.put(e, rowId);
                        switch (e.outcome) {
                            case "batched" -> {
                                batchOf.put(e, addToBatch(add, open, e, prefs.get(e.key()), result, opened));
                                result.accepted++;
                            }
                            case "no_recipient" -> {
                                result.accepted++;
                                result.noRecipient++;
                            }
                            case "recipient_not_allowed" -> {
                                result.accepted++;
                                result.recipientNotAllowed++;
                            }
                            case "file_not_found" -> {
                                result.accepted++;
                                result.fileNotFound++;
                            }
                            case FileEvent.METADATA_MISMATCH -> {
                                result.accepted++;
                                result.metadataMismatch++;
                            }
                            default -> {
                                // rejected outbox row: only marked below
                            }
                        }
                    }
                }
                writeFileRows(c, filed, batchOf);
                if (corrections != null) {
                    corrections.create(c, filed, batchOf);
                }
                markOutboxRows(c, filed);
                c.commit();
            } catch (SQLException | RuntimeException ex) {
                // On a broken connection the rollback fails too; the first error says what happened (an outage).
                try {
                    c.rollback();
                } catch (SQLException rollbackFailed) {
                    ex.addSuppressed(rollbackFailed);
                }
                throw ex;
            }
        }
        for (String line : opened) {
            LOG.info(line);
        }
        if (result.recipientNotAllowed > 0) {
            // One line per group, not per event: a flood of foreign addresses must not flood the log too.
            LOG.warn("{} event(s) for recipients outside RECIPIENT_DOMAINS recorded as recipient_not_allowed; no digest",
                    result.recipientNotAllowed);
        }
        for (IntakeResult.BatchTouch t : result.touched.values()) {
            if ("completed".equals(t.status())) {
                LOG.info("Batch {} full with {} files: completing by size", t.batchId(), t.totalFiles());
            }
        }
        return result;
    }

    private String addToBatch(PreparedStatement add, PreparedStatement open, FileEvent e, Preferences p,
                              IntakeResult result, List<String> opened) throws SQLException {
        boolean failed = e.failed();
        for (int i = 0; i < 3; i++) {
            add.setInt(1, failed ? 0 : 1);
            add.setInt(2, failed ? 1 : 0);
            add.setInt(3, e.companyId);
            add.setInt(4, e.botId);
            add.setString(5, e.userEmail);
            try (ResultSet rs = add.executeQuery()) {
                if (rs.next()) {
                    String batchId = rs.getString("batch_id");
                    IntakeResult.BatchTouch before = result.touched.get(batchId);
                    result.touched.put(batchId, new IntakeResult.BatchTouch(batchId,
                            before == null ? 1 : before.filesAdded() + 1, rs.getInt("total_files"),
                            rs.getString("status"), delayUnit.toMillis(rs.getInt("delay_minutes"))));
                    return batchId;
                }
            }
            UUID batchId = UUID.randomUUID();
            open.setObject(1, batchId);
            open.setInt(2, e.companyId);
            open.setInt(3, e.botId);
            open.setString(4, e.userEmail);
            open.setString(5, Formats.json(p.toSnapshot()));
            if (open.executeUpdate() == 1) {
                opened.add("Batch " + batchId + " opened for company " + e.companyId + " bot " + e.botId
                        + " (threshold " + p.batchSizeThreshold() + " files, delay " + p.notificationDelayMinutes()
                        + " " + delayUnit.name().toLowerCase() + ")");
            }
        }
        throw new SQLException("Could not find or open a batch for company " + e.companyId + " bot " + e.botId, "40001");
    }

    /** Marks the group's outbox rows processed first: a row another instance already filed is skipped, never filed twice. */
    private static Set<Integer> takeOutboxRows(Connection c, List<FileEvent> events) throws SQLException {
        Integer[] ids = events.stream().filter(e -> "outbox".equals(e.source)).map(e -> e.fileEventRowId).toArray(Integer[]::new);
        Set<Integer> taken = new HashSet<>();
        if (ids.length == 0) {
            return taken;
        }
        try (PreparedStatement ps = c.prepareStatement(Queries.get("take-outbox-rows"))) {
            ps.setArray(1, c.createArrayOf("int4", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    taken.add(rs.getInt(1));
                }
            }
        }
        return taken;
    }

    private Map<String, Integer> recordHttpEvents(Connection c, List<FileEvent> events) throws SQLException {
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
        try (PreparedStatement ps = c.prepareStatement(Queries.get("record-http-events"))) {
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

    private void writeFileRows(Connection c, Map<FileEvent, Integer> filed, Map<FileEvent, String> batchOf) throws SQLException {
        try (PreparedStatement files = c.prepareStatement(Queries.get("insert-batch-file"));
             PreparedStatement status = c.prepareStatement(Queries.get("insert-processing-status"));
             PreparedStatement errors = c.prepareStatement(Queries.get("insert-processing-error"))) {
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
                    errors.setBoolean(7, corrections != null && !mismatch);
                    errors.addBatch();
                }
            }
            files.executeBatch();
            status.executeBatch();
            errors.executeBatch();
        }
    }

    private static void markOutboxRows(Connection c, Map<FileEvent, Integer> filed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Queries.get("mark-outbox-row"))) {
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

    /** Deadlock or serialization failure (addToBatch raises one too when it cannot settle a batch): the group is retried. */
    private static boolean isRetryable(SQLException ex) {
        String state = ex.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }
}
