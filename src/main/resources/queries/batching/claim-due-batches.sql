-- Claims open batches whose delay passed without their timer firing (restart, another instance), or that are too
-- old: one statement (autocommit), SKIP LOCKED and the lease let several instances' sweepers run side by side while
-- each batch is taken by one of them. A batch intake is writing to (row locked) is skipped: it is not quiet.
-- Reads only due batches, through ix_batch_open_timeout and ix_batch_open_started (timeout_at is kept by intake).
-- Open batches from before V29 have no timeout_at yet: filled here with the delay unit, claimable on the next pass.
WITH filled AS (
    UPDATE batch_processing_sessions
       SET timeout_at = updated_at + make_interval(secs => (user_preferences_snapshot ->> 'notification_delay_minutes')::int
                                                           * CAST(:#${properties:ingest-notify.notification.delay.unit.seconds} AS double precision))
     -- an array, not IN: completed batches' NULLs would make the planner expect many and scan the table
     WHERE batch_id = ANY (ARRAY(SELECT batch_id FROM batch_processing_sessions
                                  WHERE status = 'processing' AND timeout_at IS NULL
                                    FOR UPDATE SKIP LOCKED))
)
UPDATE batch_processing_sessions b
   SET lease_owner = :#${properties:ingest-notify.instance.id}, lease_fence = b.lease_fence + 1,
       lease_expires_at = now() + make_interval(secs => CAST(:#${properties:ingest-notify.lease.seconds} AS double precision))
  FROM (SELECT batch_id,
               CASE WHEN batch_start_time <= now() - make_interval(hours => CAST(:#${properties:ingest-notify.max.batch.age.hours} AS int))
                    THEN 'max_age' ELSE 'timeout' END AS reason
          FROM batch_processing_sessions
         WHERE status = 'processing'
           AND (lease_expires_at IS NULL OR lease_expires_at <= now())
           AND (timeout_at <= now() - make_interval(secs => CAST(:#${properties:ingest-notify.sweeper.grace.seconds} AS double precision))
                OR batch_start_time <= now() - make_interval(hours => CAST(:#${properties:ingest-notify.max.batch.age.hours} AS int)))
         ORDER BY updated_at
         LIMIT 500
           FOR UPDATE SKIP LOCKED) due
 WHERE b.batch_id = due.batch_id
RETURNING b.batch_id, due.reason
