-- A failed file's correction task, made in the intake transaction. The storage key is captured now: the CMS record
-- may be gone when the task runs.
INSERT INTO auto_correction_tasks (file_document_id, file_name, company_id, bot_id, batch_id, failure_category,
                                   original_error_message, correction_actions, status, storage_key, file_event_id,
                                   next_attempt_at, execution_log)
VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, 'pending', ?, ?, now() + make_interval(secs => ?),
        jsonb_build_array(jsonb_build_object('at', now(), 'step', 'created', 'detail', ?::text)))
ON CONFLICT (file_event_id) DO NOTHING
