-- Batches whose detail is gone and that ended before the cut-off: the batch row and its digest's row go together. A
-- digest sent again meanwhile (pending, retrying) keeps its batch; a batch a correction task names stays until the
-- task goes. The digest's row is locked too: a resend cannot start on a row being removed.
-- Parameters: the cut-off's age (s), the pass's cursor (at, id), the chunk size.
SELECT b.id, b.batch_id, b.batch_end_time AS at
  FROM batch_processing_sessions b
  JOIN email_notification_log l ON l.batch_id = b.batch_id AND l.email_type = 'batch_completion'
 WHERE b.files_removed_at IS NOT NULL
   AND b.batch_end_time < now() - make_interval(secs => ?)
   AND (b.batch_end_time, b.id) > (?, ?)
   AND digest_ended(l)  -- sql/V28: sent, failed, skipped, suppressed, or folded into one that ended
   AND (b.lease_expires_at IS NULL OR b.lease_expires_at <= now())
   AND NOT EXISTS (SELECT 1 FROM auto_correction_tasks t WHERE t.batch_id = b.batch_id)
 ORDER BY b.batch_end_time, b.id
 LIMIT ?
   FOR UPDATE OF b, l SKIP LOCKED
