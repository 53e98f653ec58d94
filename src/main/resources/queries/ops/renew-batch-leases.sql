-- Renews this instance's leases on the batches its sweeper is completing or re-driving.
UPDATE batch_processing_sessions
   SET lease_expires_at = now() + make_interval(secs => ?)
 WHERE batch_id = ANY(?) AND lease_owner = ? AND lease_expires_at IS NOT NULL
RETURNING batch_id
