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
