-- Claims unsubscribes whose notification_enabled=false is not yet in the CMS (an outage, or just now): the next
-- attempt time is the lease, so a dead instance's claim returns after LEASE_SECONDS and a failed write waits as long.
UPDATE suppressions
   SET cms_next_attempt_at = CURRENT_TIMESTAMP + make_interval(secs => CAST(:#${properties:ingest-notify.lease.seconds} AS double precision))
 WHERE id IN (SELECT id FROM suppressions
               WHERE cms_pending AND lifted_at IS NULL AND cms_next_attempt_at <= CURRENT_TIMESTAMP
                 AND (CAST(:#${header.suppressionId} AS integer) IS NULL OR id = CAST(:#${header.suppressionId} AS integer))
               ORDER BY id
               LIMIT 100
                 FOR UPDATE SKIP LOCKED)
RETURNING id, company_id, bot_id, email
