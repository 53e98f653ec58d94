-- A held digest that still may not go out (the budget is spent at the end of the quiet hours) waits again.
UPDATE email_notification_log
   SET due_at = ?, held_reason = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = CURRENT_TIMESTAMP
 WHERE batch_id = ? AND send_status = 'held'
