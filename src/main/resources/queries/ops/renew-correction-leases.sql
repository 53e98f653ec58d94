-- Renews this instance's leases on the correction tasks it is running (next_attempt_at is the lease while processing).
-- A lease that expired is not renewed (another instance may have taken it, or may any moment): its work stops at
-- its next check.
UPDATE auto_correction_tasks
   SET next_attempt_at = now() + make_interval(secs => ?)
 WHERE id = ANY(?) AND lease_owner = ? AND status = 'processing' AND next_attempt_at > now()
RETURNING id
