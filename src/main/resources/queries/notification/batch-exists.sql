-- Whether a batch id is known (an unknown one is a 404, a known one without a failed digest a 409).
SELECT EXISTS (SELECT 1 FROM batch_processing_sessions WHERE batch_id = ?)
