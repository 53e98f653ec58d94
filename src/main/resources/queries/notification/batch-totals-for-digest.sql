-- The digest's exact totals, however many files it carries (the batch's own and those of the batches folded into
-- it): files, successes, chunks, and failures by category (a row per category; category NULL: the success row).
SELECT CASE WHEN processing_status = 'success' THEN NULL ELSE COALESCE(NULLIF(error_category, ''), 'unknown') END AS category,
       count(*) AS files, COALESCE(sum(chunks_created), 0) AS chunks
  FROM batch_files
 WHERE batch_id = ?
    OR batch_id IN (SELECT batch_id FROM email_notification_log WHERE folded_into = ? AND send_status = 'folded')
 GROUP BY 1
 ORDER BY 2 DESC, 1
