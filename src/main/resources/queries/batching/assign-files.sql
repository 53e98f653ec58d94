-- Assigns every batched file of an intake group to its batch in one statement (set-based intake). Arrays, one element
-- per file in group order (ordered by key, then by event): ord, company_id, bot_id, user_email, failed, the key's
-- preferences snapshot (JSON text) and a fresh batch id (a new batch takes the id of its first file). Per key, the files fill the key's open batch up to its snapshot's threshold (the
-- file that reaches it closes the batch by size, as add-file-to-open-batch did one file at a time); the rest fill new
-- batches of the new snapshot's threshold, in event order: every full one is inserted completed (with the lease
-- INSTANCE_ID, LEASE_SECONDS of a size completion), the last one, if not full, stays open. Every batch touched gets
-- timeout_at = now + its snapshot's delay (DELAY_UNIT_SECONDS after each lease pair): the sweeper's due test.
-- One open batch per key: the key's open batch is locked (in key order, so concurrent groups do not deadlock); a
-- batch another transaction opened after this statement's snapshot makes the insert fail on ux_batch_open_per_key
-- (23505), which the caller turns into a lost race (40001): the group is filed again.
-- Returns one row per file: its batch as it is after the statement, and whether this statement opened it.
WITH input AS MATERIALIZED (
    SELECT i.ord, i.company_id, i.bot_id, i.user_email, i.failed, i.snapshot, i.new_id,
           greatest((i.snapshot::jsonb ->> 'batch_size_threshold')::int, 1) AS threshold,
           row_number() OVER (PARTITION BY i.company_id, i.bot_id, i.user_email ORDER BY i.ord) AS rank_in_key
      FROM unnest(?::int[], ?::int[], ?::int[], ?::text[], ?::boolean[], ?::text[], ?::uuid[])
           AS i(ord, company_id, bot_id, user_email, failed, snapshot, new_id)
), open_batch AS MATERIALIZED (
    SELECT b.batch_id, b.company_id, b.bot_id, b.user_email,
           greatest((b.user_preferences_snapshot ->> 'batch_size_threshold')::int - b.total_files, 1) AS room
      FROM batch_processing_sessions b
     WHERE b.status = 'processing'
       AND (b.company_id, b.bot_id, b.user_email) IN (SELECT company_id, bot_id, user_email FROM input)
     ORDER BY b.company_id, b.bot_id, b.user_email
       FOR UPDATE OF b
), placed AS MATERIALIZED (
    -- slot 0: the open batch; slot n >= 1: the key's n-th new batch
    SELECT i.*, o.batch_id AS open_id,
           CASE WHEN o.batch_id IS NOT NULL AND i.rank_in_key <= o.room THEN 0
                ELSE (i.rank_in_key - coalesce(o.room, 0) - 1) / i.threshold + 1 END AS slot
      FROM input i
      LEFT JOIN open_batch o USING (company_id, bot_id, user_email)
), grown AS (
    UPDATE batch_processing_sessions b
       SET total_files = b.total_files + a.files,
           successful_files = b.successful_files + a.successes,
           failed_files = b.failed_files + a.failures,
           updated_at = now(),
           status = CASE WHEN a.files >= a.room THEN 'completed' ELSE b.status END,
           batch_end_time = CASE WHEN a.files >= a.room THEN now() ELSE b.batch_end_time END,
           completion_reason = CASE WHEN a.files >= a.room THEN 'size' ELSE b.completion_reason END,
           lease_owner = CASE WHEN a.files >= a.room THEN ? ELSE b.lease_owner END,
           lease_expires_at = CASE WHEN a.files >= a.room THEN now() + make_interval(secs => ?) ELSE b.lease_expires_at END,
           lease_fence = CASE WHEN a.files >= a.room THEN b.lease_fence + 1 ELSE b.lease_fence END,
           timeout_at = now() + make_interval(secs => (b.user_preferences_snapshot ->> 'notification_delay_minutes')::int
                                                      * CAST(? AS double precision))
      FROM (SELECT p.open_id, o.room, count(*) AS files,
                   count(*) FILTER (WHERE NOT p.failed) AS successes, count(*) FILTER (WHERE p.failed) AS failures
              FROM placed p JOIN open_batch o ON o.batch_id = p.open_id
             WHERE p.slot = 0
             GROUP BY p.open_id, o.room) a
     WHERE b.batch_id = a.open_id
 RETURNING b.batch_id, b.total_files, b.status,
           (b.user_preferences_snapshot ->> 'notification_delay_minutes')::int AS delay_minutes
), fresh AS MATERIALIZED (
    SELECT f.*,
           CASE WHEN f.files >= f.threshold THEN 'completed' ELSE 'processing' END AS status
      FROM (SELECT (array_agg(new_id ORDER BY ord))[1] AS batch_id, company_id, bot_id, user_email, slot,
                   min(threshold) AS threshold, min(snapshot) AS snapshot,
                   count(*) AS files, count(*) FILTER (WHERE NOT failed) AS successes,
                   count(*) FILTER (WHERE failed) AS failures
              FROM placed
             WHERE slot > 0
             GROUP BY company_id, bot_id, user_email, slot) f
), opened AS (
    INSERT INTO batch_processing_sessions (batch_id, company_id, bot_id, user_email, batch_start_time, status,
                                           user_preferences_snapshot, total_files, successful_files, failed_files,
                                           batch_end_time, completion_reason, lease_owner, lease_expires_at, lease_fence,
                                           timeout_at)
    SELECT f.batch_id, f.company_id, f.bot_id, f.user_email, now(), f.status, f.snapshot::jsonb, f.files, f.successes,
           f.failures,
           CASE WHEN f.status = 'completed' THEN now() END,
           CASE WHEN f.status = 'completed' THEN 'size' END,
           CASE WHEN f.status = 'completed' THEN ? END,
           CASE WHEN f.status = 'completed' THEN now() + make_interval(secs => ?) END,
           CASE WHEN f.status = 'completed' THEN 1 ELSE 0 END,
           now() + make_interval(secs => (f.snapshot::jsonb ->> 'notification_delay_minutes')::int * CAST(? AS double precision))
      FROM fresh f
     ORDER BY f.company_id, f.bot_id, f.user_email, f.slot
 RETURNING batch_id
)
SELECT p.ord, g.batch_id, g.total_files, g.status, g.delay_minutes, false AS opened
  FROM placed p JOIN grown g ON g.batch_id = p.open_id
 WHERE p.slot = 0
UNION ALL
SELECT p.ord, f.batch_id, f.files::int, f.status, (f.snapshot::jsonb ->> 'notification_delay_minutes')::int, true
  FROM placed p
  JOIN fresh f USING (company_id, bot_id, user_email, slot)
  JOIN opened o ON o.batch_id = f.batch_id
 ORDER BY 1
