-- Re-drive: failed tasks whose back-off passed, and tasks stuck in 'processing' past their lease (their instance
-- died: a live one renews it), go back to 'pending' while attempts remain. SKIP LOCKED: several instances' re-drives
-- never take one task twice. A task with a refused action is never re-driven: the bounds would refuse it again (an
-- operator's retry checks it afresh).
UPDATE auto_correction_tasks
   SET status = 'pending',
       -- a task taken back from an instance whose lease expired: that instance's fence is void from now on
       lease_fence = lease_fence + CASE WHEN status = 'processing' THEN 1 ELSE 0 END,
       execution_log = execution_log || jsonb_build_array(jsonb_build_object('at', now(), 'step', 'redrive',
                           'detail', 'attempt ' || (attempts + 1) || ' of ' || CAST(:#${properties:ingest-notify.max.correction.attempts} AS int)
                                     || CASE WHEN status = 'processing' THEN ', lease of ' || COALESCE(lease_owner, '?') || ' expired' ELSE '' END
                                     || ', by ' || :#${properties:ingest-notify.instance.id}))
 WHERE id IN (SELECT id
                FROM auto_correction_tasks
               WHERE status IN ('failed', 'processing')
                 AND next_attempt_at <= now()
                 AND (refused_reason IS NULL OR status = 'processing')
                 AND attempts < CAST(:#${properties:ingest-notify.max.correction.attempts} AS int)
               LIMIT 500
                 FOR UPDATE SKIP LOCKED)
RETURNING id
