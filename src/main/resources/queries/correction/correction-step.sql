-- Appends one step to a task's execution log (its readable timeline).
UPDATE auto_correction_tasks
   SET execution_log = execution_log || jsonb_build_array(jsonb_build_object('at', now(), 'step', ?::text, 'action', ?::text, 'detail', ?::text))
 WHERE id = ?
   AND lease_owner = ? AND lease_fence = ? AND status = 'processing' AND next_attempt_at > now()
