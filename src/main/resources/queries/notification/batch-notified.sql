UPDATE batch_processing_sessions SET notification_sent = TRUE, notification_sent_at = now(), updated_at = now()
 WHERE batch_id = ?
