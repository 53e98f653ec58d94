-- Retention (issue 23): what a pass removes, in chunks, is found through these indexes, and the pass itself is claimed
-- on one row. Numbered V23 (the issue) so it cannot collide with a migration another branch adds meanwhile.

-- The pass: one row per schema, claimed with a lease like every other piece of scheduled work (the owner's
-- INSTANCE_ID and an expiry its heartbeat renews while the pass runs), so two instances never run the same pass;
-- next_pass_at spaces the passes by RETENTION_INTERVAL_SECONDS whichever instance runs them. The last pass's counts
-- per table are kept for the ops page.
CREATE TABLE retention_pass (
    id INTEGER PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    pass INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_expires_at TIMESTAMP,
    next_pass_at TIMESTAMP NOT NULL DEFAULT now(),
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    removed JSONB NOT NULL DEFAULT '{}'::jsonb,
    stopped TEXT
);
INSERT INTO retention_pass (id) VALUES (1);

-- When a batch's files, statuses and errors were removed (the batch row and its digest's row stay longer). The
-- partial index holds only ended batches whose detail is still there: the next ones to clear.
ALTER TABLE batch_processing_sessions ADD COLUMN files_removed_at TIMESTAMP;
CREATE INDEX ix_bps_detail_kept ON batch_processing_sessions(batch_end_time, id)
    WHERE files_removed_at IS NULL AND status <> 'processing';
CREATE INDEX ix_bps_detail_removed ON batch_processing_sessions(batch_end_time, id) WHERE files_removed_at IS NOT NULL;

-- Processed outbox rows, oldest first (a pass walks each table in the order of its index: time, then id).
CREATE INDEX ix_file_events_processed ON file_events(processed_at, id) WHERE processed_at IS NOT NULL;

-- Removing an event or a batch checks the rows that refer to it (the foreign keys do as well): without these
-- indexes each removed row would cost a scan of the referring table.
CREATE INDEX ix_batch_files_event ON batch_files(file_event_id);
CREATE INDEX ix_fps_event ON file_processing_status(file_event_id);
CREATE INDEX ix_fps_batch ON file_processing_status(batch_id);
CREATE INDEX ix_pe_event ON processing_errors(file_event_id);
CREATE INDEX ix_pe_batch ON processing_errors(batch_id);
CREATE INDEX ix_act_batch ON auto_correction_tasks(batch_id);

-- A document with a correction task that may still run: its success statuses stay (the task's guard reads them).
CREATE INDEX ix_act_document_open ON auto_correction_tasks(file_document_id)
    WHERE status IN ('pending', 'processing', 'held', 'failed');

-- Digests that still carry their bodies, by the time they ended.
CREATE INDEX ix_email_with_body ON email_notification_log(updated_at, id)
    WHERE email_content_html IS NOT NULL OR email_content_text IS NOT NULL;
