-- The processing_errors rows of an intake group in one statement (one array element per failed event).
INSERT INTO processing_errors (file_event_id, file_document_id, batch_id, error_category, error_message,
                               processing_stage, auto_correction_triggered)
SELECT e.file_event_id, e.file_document_id, e.batch_id::uuid, e.error_category, e.error_message, e.processing_stage,
       e.auto_correction_triggered
  FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[])
       AS e(file_event_id, file_document_id, batch_id, error_category, error_message, processing_stage,
            auto_correction_triggered)
