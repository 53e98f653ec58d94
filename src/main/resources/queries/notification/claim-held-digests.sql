-- Claims held digests whose time has come (due_at, on the bundle's clock), with a lease: one sweeper renders and
-- sends each; the claim in claim-email.sql still decides, and a digest that changed meanwhile waits for the next sweep.
UPDATE email_notification_log
   SET lease_owner = ?, lease_fence = lease_fence + 1, lease_expires_at = CURRENT_TIMESTAMP + make_interval(secs => ?), updated_at = CURRENT_TIMESTAMP
 WHERE id IN (SELECT id
                FROM email_notification_log
               WHERE send_status = 'held'
                 AND due_at <= ?
                 AND (lease_expires_at IS NULL OR lease_expires_at <= CURRENT_TIMESTAMP)
               ORDER BY due_at
               LIMIT 500
                 FOR UPDATE SKIP LOCKED)
RETURNING batch_id
