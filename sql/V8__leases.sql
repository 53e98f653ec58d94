-- Several instances on one database: every piece of scheduled work is claimed with a lease on its row (the owner's
-- INSTANCE_ID and an expiry the owner renews while the work is in progress). A lease that is not renewed (the
-- owner died) expires within LEASE_SECONDS and the work returns to the other instances.
ALTER TABLE email_notification_log
    ADD COLUMN lease_owner TEXT,
    ADD COLUMN lease_expires_at TIMESTAMP;
-- The sweeper's completions and digest re-drives of a batch.
ALTER TABLE batch_processing_sessions
    ADD COLUMN lease_owner TEXT,
    ADD COLUMN lease_expires_at TIMESTAMP;
-- A file's CMS mark (notification_sent) in progress.
ALTER TABLE batch_files
    ADD COLUMN cms_mark_owner TEXT,
    ADD COLUMN cms_mark_lease_expires_at TIMESTAMP;
-- A correction task in 'processing': its next_attempt_at is the lease's expiry, as before; now with its owner.
ALTER TABLE auto_correction_tasks ADD COLUMN lease_owner TEXT;
-- Who claimed an outbox row (its lease is OUTBOX_CLAIM_LEASE_SECONDS from claimed_at, as before).
ALTER TABLE file_events ADD COLUMN claimed_by TEXT;

CREATE INDEX ix_email_unsent ON email_notification_log(lease_expires_at) WHERE send_status IN ('pending', 'retrying');
CREATE INDEX ix_bps_leased ON batch_processing_sessions(lease_expires_at) WHERE lease_expires_at IS NOT NULL;
CREATE INDEX ix_bps_completed_unsent ON batch_processing_sessions(batch_end_time) WHERE status = 'completed' AND NOT notification_sent;
