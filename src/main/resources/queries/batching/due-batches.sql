-- Open batches whose delay passed without their timer firing (restart, another instance), or that are too old.
SELECT batch_id,
       CASE WHEN batch_start_time <= now() - make_interval(hours => CAST(:#${properties:ingest-notify.max.batch.age.hours} AS int))
            THEN 'max_age' ELSE 'timeout' END AS reason
  FROM batch_processing_sessions
 WHERE status = 'processing'
   AND (updated_at <= now() - make_interval(secs => (user_preferences_snapshot ->> 'notification_delay_minutes')::int
                                                    * CAST(:#${properties:ingest-notify.notification.delay.unit.seconds} AS double precision)
                                                    + CAST(:#${properties:ingest-notify.sweeper.grace.seconds} AS double precision))
        OR batch_start_time <= now() - make_interval(hours => CAST(:#${properties:ingest-notify.max.batch.age.hours} AS int)))
 ORDER BY updated_at
 LIMIT 500
