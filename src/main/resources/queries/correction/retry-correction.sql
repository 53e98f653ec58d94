-- An operator's re-drive of a failed task: one more round of attempts, now; a refusal is checked afresh.
UPDATE auto_correction_tasks
   SET status = 'pending', attempts = 0, next_attempt_at = now(), refused_reason = NULL,
       execution_log = execution_log || jsonb_build_array(jsonb_build_object('at', now(), 'step', 'manual_retry', 'detail', 'requested over HTTP'))
 WHERE id = ? AND status = 'failed'
