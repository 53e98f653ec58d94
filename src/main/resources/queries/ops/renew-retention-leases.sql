-- The heartbeat of a retention pass in progress here (Leases, kind retention).
-- A lease that expired is not renewed (another instance may have taken it, or may any moment): its work stops at
-- its next check.
UPDATE retention_pass
   SET lease_expires_at = now() + make_interval(secs => ?)
 WHERE pass = ANY(?) AND lease_owner = ? AND finished_at IS NULL AND lease_expires_at > now()
RETURNING pass
