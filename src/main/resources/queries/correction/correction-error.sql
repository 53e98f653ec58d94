INSERT INTO processing_errors (file_event_id, file_document_id, batch_id, error_category, error_message, error_details,
                               processing_stage, auto_correction_triggered)
VALUES (?, ?, ?, 'correction_error', ?, ?::jsonb, 'auto_correction', TRUE)
