-- Where the next digest goes: 'primary' (breaker closed), 'probe' (open, cool-down over: this caller won the probe,
-- the next one waits another cool-down) or 'fallback' (open). One statement, so two instances never both probe.
WITH probe AS (
    UPDATE smtp_breaker SET open_until = now() + make_interval(secs => ?), updated_at = now()
     WHERE relay = 'primary' AND open_until IS NOT NULL AND open_until <= now()
    RETURNING 1
)
SELECT CASE WHEN EXISTS (SELECT 1 FROM probe) THEN 'probe'
            WHEN b.open_until IS NULL THEN 'primary'
            ELSE 'fallback' END AS route
  FROM smtp_breaker b
 WHERE b.relay = 'primary'
