-- The breaker is open: the task waits as 'held' for the operator (release or cancel). The claim's attempt is given back.
-- Answers how many other tasks were held already (0: the breaker has just tripped). Only the task's holder (owner,
-- fence, an unexpired lease) holds it: no row, the lease was lost.
UPDATE auto_correction_tasks
   SET status = 'held', held_at = now(), attempts = GREATEST(attempts - 1, 0),
       execution_log = execution_log || jsonb_build_array(jsonb_build_object('at', now(), 'step', 'held', 'detail', ?::text))
 WHERE id = ?
   AND lease_owner = ? AND lease_fence = ? AND status = 'processing' AND next_attempt_at > now()
RETURNING (SELECT count(*) FROM auto_correction_tasks h WHERE h.status = 'held') AS held_before
