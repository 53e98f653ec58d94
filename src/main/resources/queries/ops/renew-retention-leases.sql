-- The heartbeat of a retention pass in progress here (Leases, kind retention).
UPDATE retention_pass
   SET lease_expires_at = now() + make_interval(secs => ?)
 WHERE pass = ANY(?) AND lease_owner = ? AND finished_at IS NULL
RETURNING pass
