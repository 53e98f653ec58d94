SELECT batch_id, company_id, bot_id, user_email, batch_start_time, batch_end_time, total_files, status,
       user_preferences_snapshot::text AS snapshot
  FROM batch_processing_sessions
 WHERE batch_id = ?
