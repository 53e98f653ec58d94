-- Completes an open batch, and says in the same round trip what became of it. A timeout completion also requires the
-- batch to have been quiet for its delay (another instance may have added a file this instance's timer never saw).
-- Only the caller that flips it proceeds, holding the batch's lease until its digest is claimed.
-- The SELECT reads the batch as it was when the statement began: a batch completed meanwhile by another transaction
-- (intake at its size) still reads 'processing' here; that transaction's own completion notice sends its digest.
WITH closed AS (
    UPDATE batch_processing_sessions
       SET status = 'completed', batch_end_time = now(), completion_reason = ?,
           lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?), lease_fence = lease_fence + 1
     WHERE batch_id = ?
       AND status = 'processing'
       AND (NOT ? OR updated_at <= now() - make_interval(secs => (user_preferences_snapshot ->> 'notification_delay_minutes')::int * ?))
    RETURNING total_files
)
SELECT (SELECT total_files FROM closed) AS closed_with_files,
       b.status,
       -- another live instance holds it (it completed it and is claiming its digest)
       (b.lease_owner <> ? AND b.lease_expires_at > now()) AS held_elsewhere,
       -- its digest is claimed already (then a late timer of another instance has nothing left to do)
       EXISTS (SELECT 1 FROM email_notification_log l WHERE l.batch_id = b.batch_id) AS digest_claimed
  FROM batch_processing_sessions b
 WHERE b.batch_id = ?
