-- The bodies (HTML and text) of digests that ended before the cut-off, sent, skipped or suppressed: the heaviest part
-- of the log. The row keeps subject, status and times. A failed digest keeps its body: an operator's resend
-- (POST /api/batches/{id}/resend) sends the logged body again.
-- Parameters: the cut-off's age (s), the pass's cursor (at, id), the chunk size. Answers the rows done, with their cursor.
UPDATE email_notification_log l
   SET email_content_html = NULL, email_content_text = NULL
  FROM (SELECT id
          FROM email_notification_log
         WHERE (email_content_html IS NOT NULL OR email_content_text IS NOT NULL)
           AND updated_at < now() - make_interval(secs => ?)
           AND (updated_at, id) > (?, ?)
           AND send_status IN ('sent', 'skipped', 'suppressed')
         ORDER BY updated_at, id
         LIMIT ?
           FOR UPDATE SKIP LOCKED) due
 WHERE l.id = due.id
RETURNING l.id, l.updated_at AS at
