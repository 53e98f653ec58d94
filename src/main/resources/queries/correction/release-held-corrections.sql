-- An operator's release: held tasks run now, beyond MAX_DELETIONS_PER_HOUR (released_at lets them past the breaker).
UPDATE auto_correction_tasks
   SET status = 'pending', released_at = now(), next_attempt_at = now(),
       execution_log = execution_log || jsonb_build_array(jsonb_build_object('at', now(), 'step', 'released',
                           'detail', 'released by the operator; runs beyond MAX_DELETIONS_PER_HOUR'))
 WHERE status = 'held'
