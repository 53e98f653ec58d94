INSERT INTO email_notification_log (batch_id, recipient_email, company_id, bot_id, email_subject, send_status,
                                    error_message)
VALUES (?, ?, ?, ?, ?, 'skipped', ?)
ON CONFLICT (batch_id, email_type) DO NOTHING
