-- The last attempt failed: recorded only under the holder's unexpired lease (owner, fence, expiry).
UPDATE email_notification_log
   SET send_status = 'failed', error_message = ?, updated_at = now()
 WHERE batch_id = ? AND email_type = 'batch_completion'
   AND lease_owner = ? AND lease_fence = ? AND lease_expires_at > now()
