-- The batch's files go out in the recipient's held digest (folded_into): its own log row says so.
INSERT INTO email_notification_log (batch_id, recipient_email, company_id, bot_id, email_subject, send_status, folded_into)
VALUES (?, ?, ?, ?, ?, 'folded', ?)
ON CONFLICT (batch_id, email_type) DO NOTHING
