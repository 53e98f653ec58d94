-- Files of mailed batches whose CMS record is not marked yet (the batch just sent, or an earlier CMS outage). A file
-- whose mark the CMS refused as misconfigured waits until an instance starts after the refusal (header startedAt).
SELECT f.id, f.file_document_id, f.batch_id
  FROM batch_files f
  JOIN batch_processing_sessions b ON b.batch_id = f.batch_id
 WHERE b.notification_sent
   AND f.cms_marked_at IS NULL
   AND (f.cms_mark_refused_at IS NULL OR f.cms_mark_refused_at < :#${header.startedAt})
   AND (CAST(:#${header.batchId} AS text) IS NULL OR f.batch_id = CAST(:#${header.batchId} AS uuid))
 ORDER BY f.id
 LIMIT 500
