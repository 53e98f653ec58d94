-- Digests a recipient's control holds back, and when each goes out (quiet hours' end, or the budget's next slot).
SELECT batch_id::text AS batch_id, company_id, bot_id, recipient_email, held_reason, due_at, folded_batches
  FROM email_notification_log
 WHERE send_status = 'held'
 ORDER BY due_at
 LIMIT 100
