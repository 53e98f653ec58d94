-- The digest is out: the batch is notified, and its lease (held since its completion) ends with this commit.
UPDATE batch_processing_sessions
   SET notification_sent = TRUE, notification_sent_at = now(), updated_at = now(), lease_expires_at = NULL
 WHERE batch_id = ?
