-- Then the batch rows themselves, in the same transaction.
DELETE FROM batch_processing_sessions WHERE batch_id = ANY(?)
