-- Claims files of mailed batches whose CMS record is not marked yet (the batch just sent, or an earlier CMS outage),
-- with a lease, so two instances never mark the same file at once. A file whose mark the CMS refused as
-- misconfigured waits until an instance starts after the refusal (header startedAt).
UPDATE batch_files m
   SET cms_mark_owner = :#${properties:ingest-notify.instance.id}, cms_mark_fence = m.cms_mark_fence + 1,
       cms_mark_lease_expires_at = now() + make_interval(secs => CAST(:#${properties:ingest-notify.lease.seconds} AS double precision))
 WHERE m.id IN (SELECT f.id
                  FROM batch_files f
                  JOIN batch_processing_sessions b ON b.batch_id = f.batch_id
                 WHERE b.notification_sent
                   AND f.cms_marked_at IS NULL
                   AND (f.cms_mark_lease_expires_at IS NULL OR f.cms_mark_lease_expires_at <= now())
                   AND (f.cms_mark_refused_at IS NULL OR f.cms_mark_refused_at < :#${header.startedAt})
                   -- the files of one digest (its batch and the batches folded into it), or every file due
                   AND (CAST(:#${header.batchId} AS text) IS NULL OR f.batch_id = CAST(:#${header.batchId} AS uuid)
                        OR f.batch_id IN (SELECT l.batch_id FROM email_notification_log l
                                           WHERE l.folded_into = CAST(:#${header.batchId} AS uuid) AND l.send_status = 'folded'))
                 ORDER BY f.id
                 LIMIT 500
                   FOR UPDATE OF f SKIP LOCKED)
RETURNING m.id, m.file_document_id, m.batch_id
