-- An action the deletion bounds refused: recorded on the timeline as "refused: <reason>"; refused_reason keeps the
-- task out of the re-drive (it would be refused again).
UPDATE auto_correction_tasks
   SET refused_reason = COALESCE(refused_reason, ?), failed_action = ?, error_during_correction = ?,
       execution_log = execution_log || jsonb_build_array(jsonb_build_object('at', now(), 'step', 'refused', 'action', ?::text, 'detail', ?::text))
 WHERE id = ?
   AND lease_owner = ? AND lease_fence = ? AND status = 'processing' AND next_attempt_at > now()
