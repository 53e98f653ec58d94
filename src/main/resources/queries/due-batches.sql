-- Open batches whose delay passed without their timer firing (restart, another instance), or that are too old.
SELECT batch_id,
       CASE WHEN batch_start_time <= now() - make_interval(hours => :#${properties:max.batch.age.hours})
            THEN 'max_age' ELSE 'timeout' END AS reason
  FROM batch_processing_sessions
 WHERE status = 'processing'
   AND (updated_at <= now() - make_interval(secs => (user_preferences_snapshot ->> 'notification_delay_minutes')::int
                                                    * :#${properties:notification.delay.unit.seconds}
                                                    + :#${properties:sweeper.grace.seconds})
        OR batch_start_time <= now() - make_interval(hours => :#${properties:max.batch.age.hours}))
 ORDER BY updated_at
 LIMIT 500
