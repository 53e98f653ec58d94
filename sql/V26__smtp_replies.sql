-- Delivery that tells a refusal from a hiccup (issue 20). V26: the number given to this work, so that other
-- branches' migrations cannot collide.
--
-- The SMTP server's reply to a failed attempt: its code (550, 451; NULL when there was no reply: no connection, a
-- time-out) and its RFC 3463 enhanced status (5.1.1, 4.3.0) when the server gave one; on each attempt's retry log row
-- and, for the last attempt, on the digest. A 5xx to RCPT TO or DATA ends the digest 'failed' at once.
ALTER TABLE notification_retry_log
    ADD COLUMN smtp_code SMALLINT,
    ADD COLUMN smtp_status VARCHAR(16);
ALTER TABLE email_notification_log
    ADD COLUMN smtp_code SMALLINT,
    ADD COLUMN smtp_status VARCHAR(16);
