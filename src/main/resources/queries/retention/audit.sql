-- operator_audit rows older than the cut-off (RETENTION_AUDIT_DAYS).
-- Parameters: the cut-off's age (s), the pass's cursor (at, id), the chunk size.
DELETE FROM operator_audit a
 USING (SELECT x.id
          FROM operator_audit x
         WHERE x.at < now() - make_interval(secs => ?)
           AND (x.at, x.id) > (?, ?)
         ORDER BY x.at, x.id
         LIMIT ?
           FOR UPDATE SKIP LOCKED) due
 WHERE a.id = due.id
RETURNING a.id, a.at
