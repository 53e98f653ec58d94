-- The primary failed an attempt (no connection, 4xx): digests go to the fallback for the cool-down. newly: it was
-- closed (one log line per opening).
UPDATE smtp_breaker
   SET opened_at = COALESCE(opened_at, now()), open_until = now() + make_interval(secs => ?), last_error = ?, updated_at = now()
 WHERE relay = 'primary'
RETURNING opened_at = now() AS newly
