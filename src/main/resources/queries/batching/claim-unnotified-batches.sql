-- Claims completed batches whose digest was never attempted (the instance that completed them died before the
-- digest's log row was written). The log row's insert (claim-email) still decides who sends; this lease only keeps
-- two sweepers from rendering the same digest.
UPDATE batch_processing_sessions b
   SET lease_owner = :#${properties:ingest-notify.instance.id}, lease_fence = b.lease_fence + 1,
       lease_expires_at = now() + make_interval(secs => CAST(:#${properties:ingest-notify.lease.seconds} AS double precision))
 WHERE b.batch_id IN (SELECT s.batch_id
                        FROM batch_processing_sessions s
                       WHERE s.status = 'completed'
                         AND NOT s.notification_sent
                         AND s.batch_end_time <= now() - make_interval(secs => CAST(:#${properties:ingest-notify.sweeper.grace.seconds} AS double precision))
                         AND (s.lease_expires_at IS NULL OR s.lease_expires_at <= now())
                         AND NOT EXISTS (SELECT 1 FROM email_notification_log l WHERE l.batch_id = s.batch_id)
                       ORDER BY s.batch_end_time
                       LIMIT 500
                         FOR UPDATE SKIP LOCKED)
RETURNING b.batch_id
