-- Per file: kept as bench/IntakeBenchmark's per-event reference; the intake assigns a group in one statement (assign-files).
-- Adds one file to the key's open batch; the file that reaches the snapshot's threshold closes it (size completion).
-- The row lock taken here serialises intake and completion for this batch. The instance that completes it holds the
-- batch's lease (INSTANCE_ID, LEASE_SECONDS) until its digest is claimed, so no sweeper re-drives it meanwhile.
UPDATE batch_processing_sessions
   SET total_files = total_files + 1,
       successful_files = successful_files + ?,
       failed_files = failed_files + ?,
       updated_at = now(),
       status = CASE WHEN total_files + 1 >= (user_preferences_snapshot ->> 'batch_size_threshold')::int
                     THEN 'completed' ELSE status END,
       batch_end_time = CASE WHEN total_files + 1 >= (user_preferences_snapshot ->> 'batch_size_threshold')::int
                             THEN now() ELSE batch_end_time END,
       completion_reason = CASE WHEN total_files + 1 >= (user_preferences_snapshot ->> 'batch_size_threshold')::int
                                THEN 'size' ELSE completion_reason END,
       lease_owner = CASE WHEN total_files + 1 >= (user_preferences_snapshot ->> 'batch_size_threshold')::int
                          THEN ? ELSE lease_owner END,
       lease_expires_at = CASE WHEN total_files + 1 >= (user_preferences_snapshot ->> 'batch_size_threshold')::int
                               THEN now() + make_interval(secs => ?) ELSE lease_expires_at END,
       lease_fence = CASE WHEN total_files + 1 >= (user_preferences_snapshot ->> 'batch_size_threshold')::int
                          THEN lease_fence + 1 ELSE lease_fence END,
       -- the sweeper's due test: quiet for the snapshot's delay (the delay unit in seconds) from now
       timeout_at = now() + make_interval(secs => (user_preferences_snapshot ->> 'notification_delay_minutes')::int
                                                  * CAST(? AS double precision))
 WHERE company_id = ? AND bot_id = ? AND user_email = ? AND status = 'processing'
RETURNING batch_id, total_files, status, (user_preferences_snapshot ->> 'notification_delay_minutes')::int AS delay_minutes
