-- An outbox row the database refused to file: processed (never claimed again) and rejected, with the reason.
UPDATE file_events
   SET processed_at = now(), outcome = 'rejected', rejected_reason = ?
 WHERE id = ? AND processed_at IS NULL
