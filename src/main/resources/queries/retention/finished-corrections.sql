-- Finished correction tasks older than the cut-off: completed, partial, cancelled, dry_run, and failed ones past their
-- last attempt or refused by the bounds (never re-driven). Never a pending, processing or held one, and never one the
-- deletion breaker let delete within the hour (MAX_DELETIONS_PER_HOUR counts those).
-- Parameters: the cut-off's age (s), the pass's cursor (at, id), MAX_CORRECTION_ATTEMPTS, the chunk size.
DELETE FROM auto_correction_tasks t
 USING (SELECT x.id
          FROM auto_correction_tasks x
         WHERE COALESCE(x.completed_at, x.created_at) < now() - make_interval(secs => ?)
           AND (x.created_at, x.id) > (?, ?)
           AND (x.status IN ('completed', 'partial', 'cancelled', 'dry_run')
                OR (x.status = 'failed' AND (x.attempts >= ? OR x.refused_reason IS NOT NULL)))
           AND (x.deletions_admitted_at IS NULL OR x.deletions_admitted_at < now() - interval '1 hour')
         ORDER BY x.created_at, x.id
         LIMIT ?
           FOR UPDATE SKIP LOCKED) due
 WHERE t.id = due.id
RETURNING t.id, t.created_at AS at
