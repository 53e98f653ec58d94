-- Batches whose files, statuses and errors may go: ended before the cut-off, the digest ended (sent, failed, skipped,
-- suppressed), nobody holds the batch, every file's CMS mark is done when there is a CMS to mark (a mark the CMS
-- refused waits for a restart: still to do), and no file of it has a correction task that may still run (its guard
-- reads the file's success statuses). Locked for the chunk; SKIP LOCKED leaves a batch someone holds to the next pass.
-- Parameters: the cut-off's age (s), the pass's cursor (at, id), whether a CMS is configured, the most batches.
SELECT b.id, b.batch_id, b.batch_end_time AS at, b.total_files
  FROM batch_processing_sessions b
  JOIN email_notification_log l ON l.batch_id = b.batch_id AND l.email_type = 'batch_completion'
 WHERE b.files_removed_at IS NULL
   AND b.status <> 'processing'
   AND b.batch_end_time < now() - make_interval(secs => ?)
   AND (b.batch_end_time, b.id) > (?, ?)
   AND digest_ended(l)  -- sql/V28: sent, failed, skipped, suppressed, or folded into one that ended
   AND (b.lease_expires_at IS NULL OR b.lease_expires_at <= now())
   AND (NOT CAST(? AS boolean) OR l.send_status NOT IN ('sent', 'folded')
        OR NOT EXISTS (SELECT 1 FROM batch_files f WHERE f.batch_id = b.batch_id AND f.cms_marked_at IS NULL))
   AND NOT EXISTS (SELECT 1
                     FROM batch_files f
                     JOIN auto_correction_tasks t ON t.file_document_id = f.file_document_id
                    WHERE f.batch_id = b.batch_id AND t.status IN ('pending', 'processing', 'held', 'failed'))
 ORDER BY b.batch_end_time, b.id
 LIMIT ?
   FOR UPDATE OF b, l SKIP LOCKED
