-- Open batches and when each completes: its delay after the last file, or its maximum age, whichever comes first.
SELECT batch_id::text AS batch_id, company_id, bot_id, user_email, total_files,
       (user_preferences_snapshot ->> 'batch_size_threshold')::int AS threshold,
       batch_start_time AS started_at,
       updated_at + make_interval(secs => (user_preferences_snapshot ->> 'notification_delay_minutes')::int * ?) AS timeout_at,
       batch_start_time + make_interval(hours => ?) AS max_age_at
  FROM batch_processing_sessions
 WHERE status = 'processing'
 ORDER BY updated_at
 LIMIT 50
