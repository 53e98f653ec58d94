-- The correction tasks of an intake group's failed files in one statement. The storage key is captured now: the CMS
-- record may be gone when the task runs. The last parameter is CORRECTION_DELAY_SECONDS.
INSERT INTO auto_correction_tasks (file_document_id, file_name, company_id, bot_id, batch_id, failure_category,
                                   original_error_message, correction_actions, status, storage_key, file_event_id,
                                   next_attempt_at, execution_log)
SELECT t.file_document_id, t.file_name, t.company_id, t.bot_id, t.batch_id::uuid, t.failure_category,
       t.original_error_message, t.correction_actions::jsonb, 'pending', t.storage_key, t.file_event_id,
       now() + make_interval(secs => ?),
       jsonb_build_array(jsonb_build_object('at', now(), 'step', 'created', 'detail', t.detail))
  FROM unnest(?::text[], ?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
              ?::int[], ?::text[])
       AS t(file_document_id, file_name, company_id, bot_id, batch_id, failure_category, original_error_message,
            correction_actions, storage_key, file_event_id, detail)
ON CONFLICT (file_event_id) DO NOTHING
