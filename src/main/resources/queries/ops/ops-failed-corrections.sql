SELECT id, file_document_id, file_name, failure_category, failed_action, error_during_correction, attempts, completed_at
  FROM auto_correction_tasks
 WHERE status = 'failed'
 ORDER BY id DESC
 LIMIT 50
