-- The server accepted the digest. Owner and fence are checked, not the expiry: the mail is out whatever the clock
-- says, and recording that truth beats leaving the digest to a takeover that would send it again; the fence still
-- keeps a stale holder from writing over the row of an instance that took the digest over meanwhile.
UPDATE email_notification_log
   SET send_attempts = send_attempts + 1, send_status = 'sent', sent_at = now(), smtp_response = ?, smtp_relay = ?,
       error_message = NULL, updated_at = now()
 WHERE batch_id = ? AND email_type = 'batch_completion'
   AND lease_owner = ? AND lease_fence = ?
RETURNING send_attempts
