-- After a digest is sent, each file's CMS record is marked (notification_sent, last_notification_batch).
-- A CMS outage leaves cms_marked_at empty; the sweeper marks those files later.
ALTER TABLE batch_files ADD COLUMN cms_marked_at TIMESTAMP;
CREATE INDEX ix_batch_files_unmarked ON batch_files(batch_id) WHERE cms_marked_at IS NULL;
