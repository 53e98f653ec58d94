-- The digest's listed files: the batch's own, then those of the batches folded into it; failures first, at most
-- DIGEST_MAX_LISTED_FILES, only the outcomes the recipient asked details of (include_error/success_details).
SELECT file_document_id, file_name, processing_status, processing_time_seconds, chunks_created, error_message,
       error_category
  FROM batch_files
 WHERE (batch_id = ?
        OR batch_id IN (SELECT batch_id FROM email_notification_log WHERE folded_into = ? AND send_status = 'folded'))
   AND ((processing_status <> 'success' AND ?) OR (processing_status = 'success' AND ?))
 ORDER BY processing_status = 'success', id
 LIMIT ?
