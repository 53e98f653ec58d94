-- A failed SMTP attempt is recorded only by the digest's holder: owner, fence and an unexpired lease, in this very
-- statement (no row: the lease was lost, nothing is recorded).
UPDATE email_notification_log
   SET send_attempts = send_attempts + 1, send_status = 'retrying', error_message = ?, smtp_code = ?, smtp_status = ?,
       smtp_relay = ?, updated_at = now()
 WHERE batch_id = ? AND email_type = 'batch_completion'
   AND lease_owner = ? AND lease_fence = ? AND lease_expires_at > now()
RETURNING send_attempts, max_attempts
