-- Per file: kept as bench/IntakeBenchmark's per-event reference; the intake assigns a group in one statement (assign-files).
-- Opens a batch for the key unless another transaction just did (one open batch per key, decided by the index).
-- timeout_at: the sweeper's due test, the snapshot's delay from now (last parameter: the delay unit in seconds).
INSERT INTO batch_processing_sessions (batch_id, company_id, bot_id, user_email, batch_start_time, status,
                                       user_preferences_snapshot, timeout_at)
SELECT v.batch_id, v.company_id, v.bot_id, v.user_email, now(), 'processing', v.snapshot,
       now() + make_interval(secs => (v.snapshot ->> 'notification_delay_minutes')::int * v.unit_seconds)
  FROM (VALUES (CAST(? AS uuid), CAST(? AS int), CAST(? AS int), CAST(? AS varchar), CAST(? AS jsonb),
                CAST(? AS double precision))) v(batch_id, company_id, bot_id, user_email, snapshot, unit_seconds)
ON CONFLICT (company_id, bot_id, user_email) WHERE status = 'processing' DO NOTHING
