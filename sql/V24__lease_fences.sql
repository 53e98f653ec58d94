-- Fenced leases: every lease carries a number that grows at each claim or takeover. The holder keeps the number it
-- claimed with and every step it records names owner and number (and, for the steps before an outside effect, that
-- the lease has not expired), so an instance frozen or cut from PostgreSQL past its lease finds its lease gone and
-- stops, instead of sending or deleting what another instance took over.
ALTER TABLE email_notification_log ADD COLUMN lease_fence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE auto_correction_tasks ADD COLUMN lease_fence BIGINT NOT NULL DEFAULT 0;
-- The sweeper's batch leases and the CMS marks' leases: claims and takeovers count here too (their steps are guarded
-- by the statements that flip them: a batch's completion, a file's cms_marked_at).
ALTER TABLE batch_processing_sessions ADD COLUMN lease_fence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE batch_files ADD COLUMN cms_mark_fence BIGINT NOT NULL DEFAULT 0;
-- retention_pass needs none: its pass number grows at each claim and every chunk checks owner, pass and expiry.
