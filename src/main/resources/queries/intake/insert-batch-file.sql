-- Per event: kept as bench/IntakeBenchmark's per-event reference; the intake files a group set-based (the plural file).
INSERT INTO batch_files (batch_id, file_document_id, file_name, file_size_bytes, processing_status,
                         processing_end_time, processing_time_seconds, chunks_created, error_message, error_category,
                         file_event_id, storage_key)
VALUES (?, ?, ?, ?, ?, ?, ?, COALESCE(?, 0), ?, ?, ?, ?)
