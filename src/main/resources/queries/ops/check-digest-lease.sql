-- Right before a digest is handed to SMTP: this instance still holds it (owner, fence) and the lease has not expired.
SELECT 1 FROM email_notification_log
 WHERE batch_id = ? AND email_type = 'batch_completion' AND send_status IN ('pending', 'retrying')
   AND lease_owner = ? AND lease_fence = ? AND lease_expires_at > now()
