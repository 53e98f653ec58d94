-- Claims a group of unprocessed outbox rows in one statement (camel-sql runs it in autocommit): SKIP LOCKED lets
-- several instances poll one table; a claim older than the lease (a crashed instance) is taken again.
UPDATE file_events
   SET claimed_at = now()
 WHERE id IN (SELECT id
                FROM file_events
               WHERE processed_at IS NULL
                 AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => :#${properties:outbox.claim.lease.seconds}))
               ORDER BY id
               LIMIT :#${properties:outbox.poll.limit}
                 FOR UPDATE SKIP LOCKED)
RETURNING *
