-- The primary took a digest: the breaker closes (a row only when it was open: one log line per closing).
UPDATE smtp_breaker SET opened_at = NULL, open_until = NULL, last_error = NULL, updated_at = now()
 WHERE relay = 'primary' AND open_until IS NOT NULL
RETURNING relay
