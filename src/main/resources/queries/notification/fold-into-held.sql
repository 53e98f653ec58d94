-- The held digest carries one more batch, and goes out no later than that batch could have gone on its own.
UPDATE email_notification_log
   SET folded_batches = folded_batches + 1, due_at = LEAST(due_at, ?), updated_at = CURRENT_TIMESTAMP
 WHERE batch_id = ? AND send_status = 'held'
