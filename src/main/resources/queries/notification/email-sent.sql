UPDATE email_notification_log
   SET send_attempts = send_attempts + 1, send_status = 'sent', sent_at = now(), smtp_response = ?, smtp_relay = ?,
       error_message = NULL, updated_at = now()
 WHERE batch_id = ? AND email_type = 'batch_completion'
RETURNING send_attempts
