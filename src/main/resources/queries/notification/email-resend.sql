-- A failed digest is sent again on request (by this instance, under its lease); a sent one never is.
UPDATE email_notification_log
   SET send_status = 'pending', send_attempts = 0, error_message = NULL, updated_at = now(),
       lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?), lease_fence = lease_fence + 1
 WHERE batch_id = ? AND email_type = 'batch_completion' AND send_status = 'failed'
RETURNING lease_fence
