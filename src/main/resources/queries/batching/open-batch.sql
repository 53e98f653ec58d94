-- Per file: kept as bench/IntakeBenchmark's per-event reference; the intake assigns a group in one statement (assign-files).
-- Opens a batch for the key unless another transaction just did (one open batch per key, decided by the index).
INSERT INTO batch_processing_sessions (batch_id, company_id, bot_id, user_email, batch_start_time, status,
                                       user_preferences_snapshot)
VALUES (?, ?, ?, ?, now(), 'processing', ?::jsonb)
ON CONFLICT (company_id, bot_id, user_email) WHERE status = 'processing' DO NOTHING
