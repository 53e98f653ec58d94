-- Inserting the batch's log row is the claim to send its digest: the unique index makes it happen once. The row
-- carries this instance's lease (fence 1, or one more than the held row's), renewed while the digest is being sent
-- (back-off waits included), and counted_at, which the recipient's budget counts. A held digest is claimed by turning its row pending, only while it still
-- carries the batches it was rendered with (folded_batches).
INSERT INTO email_notification_log (batch_id, recipient_email, company_id, bot_id, email_subject, email_content_html,
                                    email_content_text, send_status, max_attempts, lease_owner, lease_expires_at,
                                    counted_at, lease_fence)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now() + make_interval(secs => ?), ?, 1)
ON CONFLICT (batch_id, email_type) DO UPDATE
   SET email_subject = EXCLUDED.email_subject, email_content_html = EXCLUDED.email_content_html,
       email_content_text = EXCLUDED.email_content_text, send_status = EXCLUDED.send_status,
       max_attempts = EXCLUDED.max_attempts, lease_owner = EXCLUDED.lease_owner,
       lease_expires_at = EXCLUDED.lease_expires_at,
       lease_fence = email_notification_log.lease_fence + 1, counted_at = EXCLUDED.counted_at, due_at = NULL,
       updated_at = CURRENT_TIMESTAMP
 WHERE email_notification_log.send_status = 'held' AND email_notification_log.folded_batches = ?
RETURNING id, lease_fence
