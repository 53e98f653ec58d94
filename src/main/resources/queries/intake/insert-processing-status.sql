INSERT INTO file_processing_status (file_event_id, file_document_id, batch_id, processing_stage, status,
                                    stage_end_time, error_message)
VALUES (?, ?, ?, ?, ?, ?, ?)
