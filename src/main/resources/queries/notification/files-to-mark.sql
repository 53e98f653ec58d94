-- Files of mailed batches whose CMS record is not marked yet (the batch just sent, or an earlier CMS outage).
SELECT f.id, f.file_document_id, f.batch_id
  FROM batch_files f
  JOIN batch_processing_sessions b ON b.batch_id = f.batch_id
 WHERE b.notification_sent
   AND f.cms_marked_at IS NULL
   AND (CAST(:#${header.batchId} AS text) IS NULL OR f.batch_id = CAST(:#${header.batchId} AS uuid))
 ORDER BY f.id
 LIMIT 500
