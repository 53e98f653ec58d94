-- Inserting the batch's log row is the claim to send its digest: the unique index makes it happen once. The row
-- carries this instance's lease, renewed while the digest is being sent (back-off waits included).
INSERT INTO email_notification_log (batch_id, recipient_email, company_id, bot_id, email_subject, email_content_html,
                                    email_content_text, send_status, max_attempts, lease_owner, lease_expires_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now() + make_interval(secs => ?))
ON CONFLICT (batch_id, email_type) DO NOTHING
RETURNING id
