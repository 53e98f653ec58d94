INSERT INTO notification_retry_log (batch_id, retry_attempt, error_message, success, next_retry_at, smtp_code, smtp_status,
                                    smtp_relay)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
