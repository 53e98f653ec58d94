-- Completes an open batch. A timeout completion also requires the batch to have been quiet for its delay
-- (another instance may have added a file this instance's timer never saw). Only the caller that flips it proceeds,
-- holding the batch's lease until its digest is claimed.
UPDATE batch_processing_sessions
   SET status = 'completed', batch_end_time = now(), completion_reason = ?,
       lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?)
 WHERE batch_id = ?
   AND status = 'processing'
   AND (NOT ? OR updated_at <= now() - make_interval(secs => (user_preferences_snapshot ->> 'notification_delay_minutes')::int * ?))
RETURNING total_files
