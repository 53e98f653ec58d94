package io.ingestnotify.intake;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import javax.sql.DataSource;

import io.ingestnotify.batching.BatchAssigner;
import io.ingestnotify.batching.Preferences;
import io.ingestnotify.correction.CorrectionTaskFactory;
import io.ingestnotify.event.ErrorCategories;
import io.ingestnotify.event.FileEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake's one transaction per group of events: record the events ({@link EventRecorder}), assign each to its
 * batch ({@link BatchAssigner}), create the failed files' correction tasks, mark the outbox rows. One commit per
 * group, never one per event, and a fixed number of statements per group whatever its size (set-based: arrays and
 * unnest, never a statement per event); the outcome of each event (batched, no recipient, file not found, ...) is
 * decided before it starts, and the preferences come from the cache before any row is locked.
 */
public class IntakeTransaction {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeTransaction.class);

    private final DataSource dataSource;
    private final EventRecorder recorder;
    private final BatchAssigner batchAssigner;
    private final Function<FileEvent.BatchKey, Preferences> preferences;
    private final String defaultRecipient;
    private final RecipientDomains recipientDomains;
    private final CorrectionTaskFactory corrections;

    public IntakeTransaction(DataSource dataSource, EventRecorder recorder, BatchAssigner batchAssigner,
                             Function<FileEvent.BatchKey, Preferences> preferences, String defaultRecipient,
                             RecipientDomains recipientDomains, CorrectionTaskFactory corrections) {
        this.dataSource = dataSource;
        this.recorder = recorder;
        this.batchAssigner = batchAssigner;
        this.preferences = preferences;
        this.defaultRecipient = defaultRecipient == null || defaultRecipient.isBlank() ? null : defaultRecipient.trim().toLowerCase();
        this.recipientDomains = recipientDomains;
        this.corrections = corrections;
    }

    /** The keys whose preferences the group needs (its events that join a batch), for the route to fetch first. */
    public Set<FileEvent.BatchKey> preferenceKeys(List<FileEvent> events) {
        Set<FileEvent.BatchKey> keys = new HashSet<>();
        for (FileEvent e : events) {
            if (!"rejected".equals(e.outcome)) {
                resolveOutcome(e);
                if ("batched".equals(e.outcome)) {
                    keys.add(e.key());
                }
            }
        }
        return keys;
    }

    /**
     * Commits one group of events. A serialization failure or deadlock (SQLState 40001 / 40P01) is thrown as is:
     * route intake-transaction commits the group again through Camel's redelivery.
     */
    public IntakeResult commit(List<FileEvent> events) throws SQLException {
        List<FileEvent> live = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int duplicatesInGroup = 0;
        int rejected = 0;
        for (FileEvent e : events) {
            // A group filed again (a lost race redelivered) starts afresh.
            e.duplicate = false;
            e.batchId = null;
            if ("rejected".equals(e.outcome)) {
                rejected++;
                live.add(e);
                continue;
            }
            if (!seen.add(e.eventId)) {
                e.duplicate = true;
                duplicatesInGroup++;
                continue;
            }
            resolveOutcome(e);
            live.add(e);
        }
        // Preferences were fetched before (route ingest-notify-intake); this reads them from the cache, never from the CMS.
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
            result = fileInTransaction(live, prefs);
        } catch (SQLException ex) {
            // An outbox group the database refuses (data, not an outage): file its events one by one, so the row it
            // refuses is marked rejected and the others are filed. A rare path; the normal case stays one commit. A group
            // of one row too: the poller may claim a refused row alone, and it must be rejected, not retried after its claim.
            if (live.isEmpty() || live.stream().anyMatch(e -> !"outbox".equals(e.source))
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

    /** Each event of an outbox group in its own transaction; a row the database refuses is marked rejected, with why. */
    private IntakeResult fileOneByOne(List<FileEvent> events, Map<FileEvent.BatchKey, Preferences> prefs) throws SQLException {
        IntakeResult total = new IntakeResult();
        for (FileEvent e : events) {
            try {
                total.add(fileInTransaction(List.of(e), prefs));
            } catch (SQLException ex) {
                if (DatabaseErrors.kind(ex) != DatabaseErrors.Kind.BAD_DATA) {
                    throw ex;
                }
                String reason = "refused by the database: " + DatabaseErrors.message(ex);
                if (recorder.rejectOutboxRow(e.fileEventRowId, reason)) {
                    total.rejected++;
                    LOG.warn("Outbox row {} (event {}, file {}) rejected: {}", e.fileEventRowId, e.eventId, e.fileDocumentId, reason);
                } else {
                    total.duplicates++;
                }
            }
        }
        return total;
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
        BatchAssigner.Assigned assigned;
        // A fixed number of statements per group, whatever its size: record, take, assign, then one per table.
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Map<String, Integer> httpRowIds = recorder.recordHttpEvents(c, events);
                Set<Integer> taken = recorder.takeOutboxRows(c, events);
                // The events this transaction files, each with its file_events row id.
                Map<FileEvent, Integer> filed = new LinkedHashMap<>();
                List<FileEvent> batched = new ArrayList<>();
                List<BatchAssigner.File> files = new ArrayList<>();
                for (FileEvent e : events) {
                    Integer rowId = "outbox".equals(e.source)
                            ? (taken.contains(e.fileEventRowId) ? e.fileEventRowId : null)
                            : httpRowIds.get(e.eventId);
                    if (rowId == null) {
                        e.duplicate = true;
                        result.duplicates++;
                        continue;
                    }
                    filed.put(e, rowId);
                    result.countFiled(e.outcome);
                    if ("batched".equals(e.outcome)) {
                        batched.add(e);
                        files.add(new BatchAssigner.File(e.companyId, e.botId, e.userEmail, e.failed(), prefs.get(e.key())));
                    }
                }
                // The events are sorted by key, in event order within a key: the order assign-files fills batches in.
                assigned = batchAssigner.assign(c, files);
                Map<FileEvent, String> batchOf = new IdentityHashMap<>();
                for (int i = 0; i < batched.size(); i++) {
                    FileEvent e = batched.get(i);
                    BatchAssigner.Assignment a = assigned.assignments().get(i);
                    IntakeResult.BatchTouch before = result.touched.get(a.batchId());
                    result.touched.put(a.batchId(), new IntakeResult.BatchTouch(a.batchId(),
                            before == null ? 1 : before.filesAdded() + 1, a.totalFiles(), a.status(), a.delayMillis()));
                    batchOf.put(e, a.batchId());
                    e.batchId = a.batchId();
                }
                recorder.writeFileRows(c, filed, batchOf, corrections != null);
                if (corrections != null) {
                    corrections.create(c, filed, batchOf);
                }
                recorder.markOutboxRows(c, filed);
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
        assigned.logOpened();
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
}
