-- Inserting the batch's log row is the claim to send its digest: the unique index makes it happen once.
INSERT INTO email_notification_log (batch_id, recipient_email, company_id, bot_id, email_subject, email_content_html,
                                    email_content_text, send_status, max_attempts)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (batch_id, email_type) DO NOTHING
RETURNING id
