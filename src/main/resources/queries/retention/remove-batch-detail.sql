-- One chunk's batches lose their files, statuses and errors together, and are marked so (the batch row and its
-- digest's row stay until RETENTION_BATCHES_DAYS). Answers the counts per table.
WITH e AS (DELETE FROM processing_errors WHERE batch_id = ANY(?) RETURNING 1),
     s AS (DELETE FROM file_processing_status WHERE batch_id = ANY(?) RETURNING 1),
     f AS (DELETE FROM batch_files WHERE batch_id = ANY(?) RETURNING 1),
     b AS (UPDATE batch_processing_sessions SET files_removed_at = now() WHERE batch_id = ANY(?) RETURNING 1)
SELECT (SELECT count(*) FROM f) AS batch_files, (SELECT count(*) FROM s) AS file_processing_status,
       (SELECT count(*) FROM e) AS processing_errors
