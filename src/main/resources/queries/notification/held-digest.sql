-- The recipient's held digest (at most one), locked: a batch folding into it and the digest's own claim wait for
-- each other.
SELECT batch_id, due_at, folded_batches
  FROM email_notification_log
 WHERE company_id = ? AND bot_id = ? AND lower(recipient_email) = lower(?) AND send_status = 'held'
   FOR UPDATE
