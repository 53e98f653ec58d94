-- Issue 19: an open batch's stored timeout (last file + its snapshot's delay), kept by the statements that open a batch
-- or add files to it, so the sweeper reads only the due ones instead of every open batch. A plain column: the delay's
-- unit is a setting (notification.delay.unit), unknown here, so existing open batches keep NULL and the sweeper's
-- claim fills them in (with the unit) on its first pass after the upgrade.
ALTER TABLE batch_processing_sessions ADD COLUMN timeout_at TIMESTAMP;
-- The sweeper's two claims on open batches: quiet long enough, or too old.
CREATE INDEX ix_batch_open_timeout ON batch_processing_sessions(timeout_at) WHERE status = 'processing';
CREATE INDEX ix_batch_open_started ON batch_processing_sessions(batch_start_time) WHERE status = 'processing';
