-- Claims due tasks in one statement (autocommit): SKIP LOCKED lets several instances poll, so no task runs twice.
-- While processing, next_attempt_at is the lease's expiry: the owner renews it during the attempt (Leases); a task
-- whose instance died returns to pending (correction-redrive) once it passes.
UPDATE auto_correction_tasks
   SET status = 'processing',
       started_at = COALESCE(started_at, now()),
       attempts = attempts + 1,
       lease_owner = :#${properties:ingest-notify.instance.id},
       lease_fence = lease_fence + 1,
       next_attempt_at = now() + make_interval(secs => CAST(:#${properties:ingest-notify.lease.seconds} AS double precision))
 WHERE id IN (SELECT id
                FROM auto_correction_tasks
               WHERE status = 'pending'
                 AND next_attempt_at <= now()
               ORDER BY next_attempt_at
               LIMIT CAST(:#${properties:ingest-notify.correction.poll.limit} AS int)
                 FOR UPDATE SKIP LOCKED)
RETURNING id, file_document_id, company_id, bot_id, file_name, storage_key, failure_category, correction_actions::text AS actions,
          s3_cleanup_completed, cms_cleanup_completed, chroma_cleanup_completed, attempts, created_at, lease_owner, lease_fence
