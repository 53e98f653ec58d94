-- Claims digests whose sending stalled: still pending or retrying, and their lease expired (the instance sending
-- them died; a live one renews the lease while it waits out its back-off). A sent, failed or skipped digest is
-- never taken here.
UPDATE email_notification_log
   SET lease_owner = :#${properties:ingest-notify.instance.id}, lease_fence = lease_fence + 1,
       lease_expires_at = now() + make_interval(secs => CAST(:#${properties:ingest-notify.lease.seconds} AS double precision)),
       updated_at = now()
 WHERE id IN (SELECT id
                FROM email_notification_log
               WHERE send_status IN ('pending', 'retrying')
                 AND (lease_expires_at IS NULL OR lease_expires_at <= now())
               ORDER BY id
               LIMIT 500
                 FOR UPDATE SKIP LOCKED)
RETURNING batch_id, lease_owner, lease_fence
