UPDATE auto_correction_tasks
   SET failed_action = ?, error_during_correction = ?,
       execution_log = execution_log || jsonb_build_array(jsonb_build_object('at', now(), 'step', 'failed', 'action', ?::text, 'detail', ?::text))
 WHERE id = ?
RETURNING file_document_id, batch_id, failure_category, file_event_id
