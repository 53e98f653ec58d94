-- GET /api/audit: newest first; optional: ids below the previous page's last (keyset paging), one action, since a time.
-- Parameters: before (twice), action (twice), since (twice), limit.
SELECT id, at, credential, client_address, action, target, status, result
  FROM operator_audit
 WHERE (CAST(? AS BIGINT) IS NULL OR id < ?)
   AND (CAST(? AS TEXT) IS NULL OR action = ?)
   AND (CAST(? AS TIMESTAMP) IS NULL OR at >= ?)
 ORDER BY id DESC
 LIMIT ?
