-- Holds the batch's digest until due_at (quiet hours, budget): rendered and claimed when it goes out. A batch whose
-- digest is already logged keeps that row.
INSERT INTO email_notification_log (batch_id, recipient_email, company_id, bot_id, email_subject, send_status, due_at,
                                    held_reason)
VALUES (?, ?, ?, ?, ?, 'held', ?, ?)
ON CONFLICT (batch_id, email_type) DO NOTHING
