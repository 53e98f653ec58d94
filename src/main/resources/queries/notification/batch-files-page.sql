-- A batch's files for the operator (GET /api/batches/{id}/files): the batch's own and its folded batches', failures
-- first, a page at a time.
SELECT file_document_id, file_name, processing_status, error_category, error_message, chunks_created,
       processing_time_seconds
  FROM batch_files
 WHERE batch_id = ?
    OR batch_id IN (SELECT batch_id FROM email_notification_log WHERE folded_into = ? AND send_status = 'folded')
 ORDER BY processing_status = 'success', id
 LIMIT ? OFFSET ?
