-- A batch's status, and whether another live instance holds it (it completed it and is claiming its digest).
SELECT status, (lease_owner <> ? AND lease_expires_at > now()) AS held_elsewhere
  FROM batch_processing_sessions
 WHERE batch_id = ?
