SELECT status FROM batch_processing_sessions WHERE batch_id = ?
