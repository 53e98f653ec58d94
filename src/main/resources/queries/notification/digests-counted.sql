-- The digests the recipient's rolling day has counted (claimed for sending since the given time), oldest first.
SELECT counted_at
  FROM email_notification_log
 WHERE company_id = ? AND bot_id = ? AND lower(recipient_email) = lower(?) AND counted_at > ?
 ORDER BY counted_at
