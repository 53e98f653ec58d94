-- Adds one file to the key's open batch; the file that reaches the snapshot's threshold closes it (size completion).
-- The row lock taken here serialises intake and completion for this batch.
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
                                THEN 'size' ELSE completion_reason END
 WHERE company_id = ? AND bot_id = ? AND user_email = ? AND status = 'processing'
RETURNING batch_id, total_files, status, (user_preferences_snapshot ->> 'notification_delay_minutes')::int AS delay_minutes
