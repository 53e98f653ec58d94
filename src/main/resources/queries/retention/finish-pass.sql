-- The pass ended (done, out of time, or stopped by an error): its counts per table for the ops page, its lease let go.
UPDATE retention_pass
   SET finished_at = now(), lease_expires_at = NULL, removed = CAST(? AS jsonb), stopped = ?
 WHERE pass = ? AND lease_owner = ?
