-- A bounce report matched by its digest's Message-ID: recorded on the digest (the first report of a digest wins).
-- send_status stays 'sent' (the server took it; the digest has ended, see digest_ended()): bounced_at says it bounced.
UPDATE email_notification_log
   SET bounced_at = now(), bounce_status = ?, bounce_diagnostic = ?, updated_at = now()
 WHERE message_id = ? AND bounced_at IS NULL
RETURNING batch_id::text AS batch_id, recipient_email, company_id, bot_id
