-- What still names one chunk's batches: digest rows, retry-log rows, statuses and errors written after the detail went.
WITH l AS (DELETE FROM email_notification_log WHERE batch_id = ANY(?) RETURNING 1),
     r AS (DELETE FROM notification_retry_log WHERE batch_id = ANY(?) RETURNING 1),
     s AS (DELETE FROM file_processing_status WHERE batch_id = ANY(?) RETURNING 1),
     e AS (DELETE FROM processing_errors WHERE batch_id = ANY(?) RETURNING 1)
SELECT (SELECT count(*) FROM l) AS email_notification_log, (SELECT count(*) FROM r) AS notification_retry_log,
       (SELECT count(*) FROM s) AS file_processing_status, (SELECT count(*) FROM e) AS processing_errors
