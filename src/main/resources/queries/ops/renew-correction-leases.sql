-- Renews this instance's leases on the correction tasks it is running (next_attempt_at is the lease while processing).
UPDATE auto_correction_tasks
   SET next_attempt_at = now() + make_interval(secs => ?)
 WHERE id = ANY(?) AND lease_owner = ? AND status = 'processing'
RETURNING id
