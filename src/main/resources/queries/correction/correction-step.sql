-- Appends one step to a task's execution log (its readable timeline).
UPDATE auto_correction_tasks
   SET execution_log = execution_log || jsonb_build_array(jsonb_build_object('at', now(), 'step', ?::text, 'action', ?::text, 'detail', ?::text))
 WHERE id = ?
