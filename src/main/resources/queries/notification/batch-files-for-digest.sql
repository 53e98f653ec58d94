SELECT file_document_id, file_name, processing_status, processing_time_seconds, chunks_created, error_message,
       error_category
  FROM batch_files
 WHERE batch_id = ?
 ORDER BY id
