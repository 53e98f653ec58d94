-- The address is suppressed: the batch is recorded, its digest is not sent (a held digest becomes suppressed with the
-- batches folded into it).
INSERT INTO email_notification_log (batch_id, recipient_email, company_id, bot_id, email_subject, send_status,
                                    error_message)
VALUES (?, ?, ?, ?, ?, 'suppressed', ?)
ON CONFLICT (batch_id, email_type) DO UPDATE
   SET send_status = 'suppressed', error_message = EXCLUDED.error_message, due_at = NULL, updated_at = CURRENT_TIMESTAMP
 WHERE email_notification_log.send_status = 'held'
