-- The statuses and errors still on one chunk's events (those of events without a batch, or written late).
WITH s AS (DELETE FROM file_processing_status WHERE file_event_id = ANY(?) RETURNING 1),
     e AS (DELETE FROM processing_errors WHERE file_event_id = ANY(?) RETURNING 1)
SELECT (SELECT count(*) FROM s) AS file_processing_status, (SELECT count(*) FROM e) AS processing_errors
