-- CMS side (Strapi team): never applied to the operational database unless asked.
ALTER TABLE files ADD COLUMN notification_sent BOOLEAN DEFAULT FALSE;
ALTER TABLE files ADD COLUMN last_notification_batch UUID;
ALTER TABLE files ADD COLUMN processing_metadata JSONB DEFAULT '{}';

CREATE INDEX idx_files_notification_sent ON files(notification_sent);
CREATE INDEX idx_files_last_notification_batch ON files(last_notification_batch);
