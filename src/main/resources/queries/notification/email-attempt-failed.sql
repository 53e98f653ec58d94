UPDATE email_notification_log
   SET send_attempts = send_attempts + 1, send_status = 'retrying', error_message = ?, smtp_code = ?, smtp_status = ?,
       smtp_relay = ?, updated_at = now()
 WHERE batch_id = ? AND email_type = 'batch_completion'
RETURNING send_attempts, max_attempts
