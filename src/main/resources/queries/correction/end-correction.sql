-- Ends a task without deleting anything: 'cancelled' (the file succeeded since) or 'dry_run'.
UPDATE auto_correction_tasks
   SET status = ?, completed_at = now(),
       execution_log = execution_log || jsonb_build_array(jsonb_build_object('at', now(), 'step', ?::text, 'detail', ?::text))
 WHERE id = ?
   AND lease_owner = ? AND lease_fence = ? AND status = 'processing' AND next_attempt_at > now()
