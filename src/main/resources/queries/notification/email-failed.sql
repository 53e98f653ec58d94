UPDATE email_notification_log
   SET send_status = 'failed', error_message = ?, updated_at = now()
 WHERE batch_id = ? AND email_type = 'batch_completion'
