-- An operator's cancel: held tasks end 'cancelled', nothing deleted.
UPDATE auto_correction_tasks
   SET status = 'cancelled', completed_at = now(),
       execution_log = execution_log || jsonb_build_array(jsonb_build_object('at', now(), 'step', 'cancelled',
                           'detail', 'held task cancelled by the operator; nothing deleted'))
 WHERE status = 'held'
