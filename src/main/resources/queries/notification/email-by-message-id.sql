SELECT batch_id::text AS batch_id, bounced_at FROM email_notification_log WHERE message_id = ?
