-- Per event: kept as bench/IntakeBenchmark's per-event reference; the intake files a group set-based (the plural file).
INSERT INTO file_processing_status (file_event_id, file_document_id, batch_id, processing_stage, status,
                                    stage_end_time, error_message)
VALUES (?, ?, ?, ?, ?, ?, ?)
