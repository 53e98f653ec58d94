-- A failed digest is sent again on request; a sent one never is.
UPDATE email_notification_log
   SET send_status = 'pending', send_attempts = 0, error_message = NULL, updated_at = now()
 WHERE batch_id = ? AND email_type = 'batch_completion' AND send_status = 'failed'
