-- A batch's status; whether another live instance holds it (it completed it and is claiming its digest); whether its
-- digest is claimed already (then a late timer of another instance has nothing left to do).
SELECT status,
       (lease_owner <> ? AND lease_expires_at > now()) AS held_elsewhere,
       EXISTS (SELECT 1 FROM email_notification_log l WHERE l.batch_id = b.batch_id) AS digest_claimed
  FROM batch_processing_sessions b
 WHERE batch_id = ?
