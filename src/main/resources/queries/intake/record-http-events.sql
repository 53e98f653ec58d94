-- Records events that did not come through the outbox; a known event_id is skipped (idempotency).
INSERT INTO file_events (event_id, file_document_id, status, user_email, company_id, bot_id, file_name, storage_key,
                         file_size_bytes, stage, chunks_created, processing_time_seconds, error_message,
                         error_category, occurred_at, source, outcome, claimed_at, processed_at)
SELECT e.*, now(), now()
  FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::bigint[],
              ?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::timestamp[], ?::text[], ?::text[]) AS e
ON CONFLICT (event_id) DO NOTHING
RETURNING id, event_id
