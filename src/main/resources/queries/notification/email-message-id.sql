-- The digest's Message-ID, recorded before the first attempt (the same on every attempt and re-send).
UPDATE email_notification_log SET message_id = ? WHERE batch_id = ? AND email_type = 'batch_completion'
