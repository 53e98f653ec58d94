-- Serialises the deletion circuit breaker's decisions across instances (per schema) until the transaction ends,
-- so two instances can never both take the last slot of the hour.
SELECT pg_advisory_xact_lock(hashtext('ingest-notify:deletion-breaker:' || current_schema()))
