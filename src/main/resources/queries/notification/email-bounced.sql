-- A bounce report matched by its digest's Message-ID: recorded on the digest (the first report of a digest wins).
UPDATE email_notification_log
   SET send_status = 'bounced', bounced_at = now(), bounce_status = ?, bounce_diagnostic = ?, updated_at = now()
 WHERE message_id = ? AND bounced_at IS NULL
RETURNING batch_id::text AS batch_id, recipient_email, company_id, bot_id
