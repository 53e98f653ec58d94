-- Claims a group of unprocessed outbox rows in one statement (camel-sql runs it in autocommit): SKIP LOCKED lets
-- several instances poll one table; a claim older than the lease (a crashed instance) is taken again.
UPDATE file_events
   SET claimed_at = now(), claimed_by = :#${properties:ingest-notify.instance.id}
 WHERE id IN (SELECT id
                FROM file_events
               WHERE processed_at IS NULL
                 AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => CAST(:#${properties:ingest-notify.outbox.claim.lease.seconds} AS double precision)))
               ORDER BY id
               LIMIT CAST(:#${properties:ingest-notify.outbox.poll.limit} AS int)
                 FOR UPDATE SKIP LOCKED)
RETURNING *
