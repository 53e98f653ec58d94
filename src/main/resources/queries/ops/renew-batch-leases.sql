-- Renews this instance's leases on the batches its sweeper is completing or re-driving.
-- A lease that expired is not renewed (another instance may have taken it, or may any moment): its work stops at
-- its next check.
UPDATE batch_processing_sessions
   SET lease_expires_at = now() + make_interval(secs => ?)
 WHERE batch_id = ANY(?) AND lease_owner = ? AND lease_expires_at > now()
RETURNING batch_id
