-- A final refusal (5xx to RCPT TO or DATA): the attempt counted, the digest failed at once with the server's reply.
-- Owner and fence are checked, not the expiry (as for a sent digest): the server's answer is a fact by now.
UPDATE email_notification_log
   SET send_attempts = send_attempts + 1, send_status = 'failed', error_message = ?, smtp_response = ?, smtp_code = ?,
       smtp_status = ?, smtp_relay = ?, updated_at = now()
 WHERE batch_id = ? AND email_type = 'batch_completion'
   AND lease_owner = ? AND lease_fence = ?
RETURNING send_attempts, recipient_email, company_id, bot_id
