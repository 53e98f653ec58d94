-- Lets a task delete when fewer than MAX_DELETIONS_PER_HOUR tasks were let in the rolling hour, or when it was already
-- let in within the hour (a re-drive), or an operator released it. Run under the breaker's advisory lock.
UPDATE auto_correction_tasks t
   SET deletions_admitted_at = now()
 WHERE t.id = ?
   AND (t.released_at IS NOT NULL
        OR t.deletions_admitted_at > now() - interval '1 hour'
        OR (SELECT count(*) FROM auto_correction_tasks d WHERE d.deletions_admitted_at > now() - interval '1 hour') < ?)
RETURNING t.id
