-- A second SMTP server (issue 20). Which server took (or refused) each digest, and each attempt: 'primary' or
-- 'fallback' with its host and port.
ALTER TABLE email_notification_log ADD COLUMN smtp_relay VARCHAR(300);
ALTER TABLE notification_retry_log ADD COLUMN smtp_relay VARCHAR(300);

-- The circuit breaker of the primary server, in PostgreSQL so every instance agrees: open_until set = the primary
-- failed and digests go to the fallback until then; the first digest after it claims the probe (open_until moved
-- on by the cool-down in the same statement) and tries the primary: success closes the breaker, failure re-opens it.
CREATE TABLE smtp_breaker (
    relay VARCHAR(20) PRIMARY KEY,
    opened_at TIMESTAMP,
    open_until TIMESTAMP,
    last_error TEXT,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO smtp_breaker (relay) VALUES ('primary');

-- Bounces read back: every digest carries a stable Message-ID (<digest.{batch_id}@{FROM_EMAIL's domain}>), recorded
-- here, by which an RFC 3464 report in the bounce mailbox finds its digest; a bounced digest keeps send_status 'sent'
-- (the server took it) and gets when the report arrived, its Status (RFC 3463) and Diagnostic-Code.
ALTER TABLE email_notification_log
    ADD COLUMN message_id VARCHAR(300),
    ADD COLUMN bounced_at TIMESTAMP,
    ADD COLUMN bounce_status VARCHAR(16),
    ADD COLUMN bounce_diagnostic TEXT;
CREATE UNIQUE INDEX ux_email_message_id ON email_notification_log (message_id) WHERE message_id IS NOT NULL;
