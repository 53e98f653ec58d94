-- Claims the next retention pass: the one row is free when no live lease holds it and the interval since the last
-- pass started has passed. SKIP LOCKED: an instance that finds another claiming it goes away at once.
-- Parameters: this instance's id, the lease (s), the interval (s).
UPDATE retention_pass
   SET pass = pass + 1, lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?),
       next_pass_at = now() + make_interval(secs => ?), started_at = now(), finished_at = NULL, stopped = NULL
 WHERE id IN (SELECT id
                FROM retention_pass
               WHERE (lease_expires_at IS NULL OR lease_expires_at <= now())
                 AND next_pass_at <= now()
                 FOR UPDATE SKIP LOCKED)
RETURNING pass
