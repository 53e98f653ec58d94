-- Ends an attempt. 'completed' only when every action of the task succeeded; 'partial' when the rest succeeded and
-- some were skipped because their system is not configured; otherwise 'failed', with the back-off before the re-drive
-- may take it again. Only the task's holder ends it (owner, fence, an unexpired lease): no row, the lease was lost.
WITH t AS (
    SELECT id,
           (NOT correction_actions @> '["s3_delete"]' OR s3_cleanup_completed) AS s3_ok,
           (NOT correction_actions @> '["cms_delete"]' OR cms_cleanup_completed) AS cms_ok,
           (NOT correction_actions @> '["chroma_delete"]' OR chroma_cleanup_completed) AS chroma_ok,
           execution_log @> '[{"step":"skipped","action":"s3_delete"}]' AS s3_skip,
           execution_log @> '[{"step":"skipped","action":"cms_delete"}]' AS cms_skip,
           execution_log @> '[{"step":"skipped","action":"chroma_delete"}]' AS chroma_skip
      FROM auto_correction_tasks
     WHERE id = ?
)
UPDATE auto_correction_tasks a
   SET status = CASE WHEN t.s3_ok AND t.cms_ok AND t.chroma_ok THEN 'completed'
                     WHEN (t.s3_ok OR t.s3_skip) AND (t.cms_ok OR t.cms_skip) AND (t.chroma_ok OR t.chroma_skip) THEN 'partial'
                     ELSE 'failed' END,
       completed_at = now(),
       next_attempt_at = now() + make_interval(secs => ? * power(2, a.attempts - 1)),
       execution_log = a.execution_log || jsonb_build_array(jsonb_build_object('at', now(), 'step', 'attempt_end',
                           'detail', 'attempt ' || a.attempts))
  FROM t
 WHERE a.id = t.id
   AND a.lease_owner = ? AND a.lease_fence = ? AND a.status = 'processing' AND a.next_attempt_at > now()
RETURNING a.status, a.attempts, a.failed_action, a.error_during_correction, a.file_document_id
