-- Retry-log rows older than the cut-off of digests no longer being sent (a pending or retrying digest keeps its rows).
-- Parameters: the cut-off's age (s), the pass's cursor (at, id), the chunk size.
DELETE FROM notification_retry_log r
 USING (SELECT x.id
          FROM notification_retry_log x
         WHERE x.retry_at < now() - make_interval(secs => ?)
           AND (x.retry_at, x.id) > (?, ?)
           AND NOT EXISTS (SELECT 1 FROM email_notification_log l
                            WHERE l.batch_id = x.batch_id AND l.send_status IN ('pending', 'retrying'))
         ORDER BY x.retry_at, x.id
         LIMIT ?
           FOR UPDATE SKIP LOCKED) due
 WHERE r.id = due.id
RETURNING r.id, r.retry_at AS at
