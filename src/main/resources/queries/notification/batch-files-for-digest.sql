-- The digest's files: the batch's own, then those of the batches folded into it.
SELECT file_document_id, file_name, processing_status, processing_time_seconds, chunks_created, error_message,
       error_category
  FROM batch_files
 WHERE batch_id = ?
    OR batch_id IN (SELECT batch_id FROM email_notification_log WHERE folded_into = ? AND send_status = 'folded')
 ORDER BY id
