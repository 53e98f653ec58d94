SELECT id, file_document_id, file_name, company_id, bot_id, batch_id, failure_category, original_error_message,
       correction_actions::text AS correction_actions, status, s3_cleanup_completed, cms_cleanup_completed,
       chroma_cleanup_completed, execution_log::text AS execution_log, created_at, started_at, completed_at,
       error_during_correction, storage_key, attempts, next_attempt_at, failed_action
  FROM auto_correction_tasks
 WHERE id = ?
