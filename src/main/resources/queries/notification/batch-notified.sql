-- The digest is out: the batch and the batches folded into it are notified, and its lease (held since its
-- completion) ends with this commit.
UPDATE batch_processing_sessions
   SET notification_sent = TRUE, notification_sent_at = now(), updated_at = now(), lease_expires_at = NULL
 WHERE batch_id = ?
    OR batch_id IN (SELECT batch_id FROM email_notification_log WHERE folded_into = ? AND send_status = 'folded')
