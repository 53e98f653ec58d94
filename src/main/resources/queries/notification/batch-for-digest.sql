SELECT b.batch_id, b.company_id, b.bot_id, b.user_email, b.batch_start_time, b.batch_end_time, b.total_files, b.status,
       b.user_preferences_snapshot::text AS snapshot,
       COALESCE((SELECT l.folded_batches FROM email_notification_log l
                  WHERE l.batch_id = b.batch_id AND l.send_status = 'held'), 0) AS folded_batches
  FROM batch_processing_sessions b
 WHERE b.batch_id = ?
