-- Open batches and how long each still has to stay quiet before its timeout completion: the aggregator's timers,
-- rebuilt from the batch table after a restart.
SELECT batch_id,
       total_files,
       GREATEST(0, CEIL((user_preferences_snapshot ->> 'notification_delay_minutes')::int * ? * 1000
                        - EXTRACT(EPOCH FROM now() - updated_at) * 1000))::bigint AS remaining_millis
  FROM batch_processing_sessions
 WHERE status = 'processing'
