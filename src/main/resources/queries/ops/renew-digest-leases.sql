-- Renews this instance's leases on the digests it is sending (back-off waits included); the ones not returned are
-- no longer in progress here (sent, failed) or were taken over.
-- A lease that expired is not renewed (another instance may have taken it, or may any moment): its work stops at
-- its next check.
UPDATE email_notification_log
   SET lease_expires_at = now() + make_interval(secs => ?)
 WHERE batch_id = ANY(?) AND lease_owner = ? AND send_status IN ('pending', 'retrying')
   AND lease_expires_at > now()
RETURNING batch_id
