-- Processed outbox rows older than the cut-off that nothing keeps: no batch file refers to them (their batch's detail
-- goes first), no correction task does, and no correction task that may still run is about their document (its guard
-- reads the document's success statuses). An unprocessed row (processed_at NULL) is never one of them.
-- Parameters: the cut-off's age (s), the pass's cursor (at, id), the chunk size.
SELECT e.id, e.processed_at AS at
  FROM file_events e
 WHERE e.processed_at < now() - make_interval(secs => ?)
   AND (e.processed_at, e.id) > (?, ?)
   AND NOT EXISTS (SELECT 1 FROM batch_files f WHERE f.file_event_id = e.id)
   AND NOT EXISTS (SELECT 1 FROM auto_correction_tasks t WHERE t.file_event_id = e.id)
   AND NOT EXISTS (SELECT 1 FROM auto_correction_tasks t
                    WHERE t.file_document_id = e.file_document_id AND t.status IN ('pending', 'processing', 'held', 'failed'))
 ORDER BY e.processed_at, e.id
 LIMIT ?
   FOR UPDATE OF e SKIP LOCKED
