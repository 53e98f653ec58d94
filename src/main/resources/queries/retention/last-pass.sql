-- The latest retention pass, for the ops page: who ran it, when, and whether it is running now.
SELECT pass, lease_owner AS instance, started_at, finished_at, stopped, next_pass_at,
       (finished_at IS NULL AND lease_expires_at > now()) AS running
  FROM retention_pass
 WHERE pass > 0
