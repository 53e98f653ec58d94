-- A branch's dead letter. A misconfiguration (the system refused our credentials) also sets refused_reason, which keeps
-- the task out of the re-drive: it would fail again until the setting is fixed (an operator's retry clears it).
UPDATE auto_correction_tasks
   SET failed_action = ?, error_during_correction = ?, refused_reason = COALESCE(refused_reason, ?),
       execution_log = execution_log || jsonb_build_array(jsonb_build_object('at', now(), 'step', 'failed', 'action', ?::text, 'detail', ?::text))
 WHERE id = ?
   AND lease_owner = ? AND lease_fence = ? AND status = 'processing' AND next_attempt_at > now()
RETURNING file_document_id, batch_id, failure_category, file_event_id
