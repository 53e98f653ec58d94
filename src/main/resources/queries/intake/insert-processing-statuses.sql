-- The file_processing_status rows of an intake group in one statement (one array element per filed event).
INSERT INTO file_processing_status (file_event_id, file_document_id, batch_id, processing_stage, status,
                                    stage_end_time, error_message)
SELECT s.file_event_id, s.file_document_id, s.batch_id::uuid, s.processing_stage, s.status, s.stage_end_time,
       s.error_message
  FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamp[], ?::text[])
       AS s(file_event_id, file_document_id, batch_id, processing_stage, status, stage_end_time, error_message)
