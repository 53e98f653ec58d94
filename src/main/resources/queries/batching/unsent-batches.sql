-- Completed batches whose digest was never attempted (crash between completion and mail), and digests whose
-- sending stalled (crash during redelivery). A sent, failed or skipped digest is never picked up here.
SELECT b.batch_id, 'notify' AS action
  FROM batch_processing_sessions b
 WHERE b.status = 'completed'
   AND b.batch_end_time <= now() - make_interval(secs => CAST(:#${properties:ingest-notify.sweeper.grace.seconds} AS double precision))
   AND NOT EXISTS (SELECT 1 FROM email_notification_log l WHERE l.batch_id = b.batch_id)
UNION ALL
SELECT l.batch_id, 'send' AS action
  FROM email_notification_log l
 WHERE l.send_status IN ('pending', 'retrying')
   AND l.updated_at <= now() - make_interval(secs => CAST(:#${properties:ingest-notify.notification.stall.seconds} AS double precision))
 LIMIT 500
